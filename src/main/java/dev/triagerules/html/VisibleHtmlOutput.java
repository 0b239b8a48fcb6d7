package dev.triagerules.html;

import dev.triagerules.base.VisibleText;
import gg.jte.TemplateOutput;
import gg.jte.html.OwaspHtmlTemplateOutput;

/**
 * The templates' output: every text value is made visible ({@link VisibleText#inPage})
 * before jte escapes it for its context. One place for the whole page, so that no value
 * from a log or report shows a bidi override, a zero-width character or a control as
 * itself, whichever template prints it. Filters compare what the page shows, so a value
 * and its option stay equal.
 */
final class VisibleHtmlOutput extends OwaspHtmlTemplateOutput {
    VisibleHtmlOutput(TemplateOutput output) {
        super(output);
    }

    @Override
    public void writeUserContent(String value) {
        super.writeUserContent(VisibleText.inPage(value));
    }
}
