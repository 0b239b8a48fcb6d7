package dev.triagerules.engine;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a fact type that the tool inserts into rule sessions of its own kind: failures into
 * classification sessions, scenario histories into verdict sessions, incident lifecycles
 * into lifecycle sessions. A rule that needs such a fact can fire only in sessions of that
 * kind, so each kind's KIE base leaves out the rules that need another kind's facts
 * ({@link SessionKinds}), and a rule that inserts another kind's fact is refused.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface SessionFact {
}
