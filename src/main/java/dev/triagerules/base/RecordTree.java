package dev.triagerules.base;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes a tree of records and plain values, and reads it back: each record component by
 * component, rebuilt through its canonical constructor. It keeps values the tool made
 * (the loaded policy) in the compiled-rules cache, whose entries are authenticated before
 * anything is read. Not Java serialization: deserializing a record builds method handles
 * for its class, measured at ~6 ms per record class in a cold JVM (a policy has a dozen);
 * plain reflection here costs a fraction of that, and a record added to the policy later
 * is kept without anyone writing code for it.
 *
 * <p>Values: null, {@link String}, {@link Boolean}, {@link Integer}, {@link Long},
 * {@link Double}, {@link Duration}, {@link Pattern}, {@link Path}s that lie directly in
 * the given folder (kept by name, so the tree reads back under any spelling of the
 * folder), lists, sets and maps of values (read back unmodifiable, in the order written),
 * and records and enums of this tool ({@code dev.triagerules.*}); any other object only if
 * it is a public static final constant of its own class ({@code ReasonMasks.NONE}).
 * Anything else cannot be written: {@link #write} throws {@link NotStorableException}.
 */
public final class RecordTree {
    private static final String OURS = "dev.triagerules.";

    private static final byte NULL = 0;
    private static final byte STRING = 1;
    private static final byte BOOLEAN = 2;
    private static final byte INTEGER = 3;
    private static final byte LONG = 4;
    private static final byte DOUBLE = 5;
    private static final byte DURATION = 6;
    private static final byte PATTERN = 7;
    private static final byte PATH = 8;
    private static final byte LIST = 9;
    private static final byte SET = 10;
    private static final byte MAP = 11;
    private static final byte RECORD = 12;
    private static final byte ENUM = 13;
    private static final byte CONSTANT = 14;

    /** A value of a kind this format does not keep. */
    public static final class NotStorableException extends IOException {
        private static final long serialVersionUID = 1L;

        NotStorableException(String message) {
            super(message);
        }
    }

    private RecordTree() {
    }

    /** Writes {@code value}; its paths must lie directly in {@code folder}. */
    public static void write(DataOutput out, Object value, Path folder) throws IOException {
        new Writer(out, folder).value(value);
    }

    /** Reads a value {@link #write} wrote, its paths in {@code folder}. */
    public static Object read(DataInput in, Path folder) throws IOException {
        return new Reader(in, folder).value();
    }

    private static final class Writer {
        private final DataOutput out;
        private final Path folder;

        Writer(DataOutput out, Path folder) {
            this.out = out;
            this.folder = folder;
        }

        void value(Object value) throws IOException {
            if (value == null) {
                out.writeByte(NULL);
            } else if (value instanceof String text) {
                out.writeByte(STRING);
                string(text);
            } else if (value instanceof Boolean bool) {
                out.writeByte(BOOLEAN);
                out.writeBoolean(bool);
            } else if (value instanceof Integer number) {
                out.writeByte(INTEGER);
                out.writeInt(number);
            } else if (value instanceof Long number) {
                out.writeByte(LONG);
                out.writeLong(number);
            } else if (value instanceof Double number) {
                out.writeByte(DOUBLE);
                out.writeDouble(number);
            } else if (value instanceof Duration duration) {
                out.writeByte(DURATION);
                out.writeLong(duration.getSeconds());
                out.writeInt(duration.getNano());
            } else if (value instanceof Pattern pattern) {
                out.writeByte(PATTERN);
                string(pattern.pattern());
                out.writeInt(pattern.flags());
            } else if (value instanceof Path path) {
                out.writeByte(PATH);
                string(nameIn(path));
            } else if (value instanceof List<?> list) {
                out.writeByte(LIST);
                elements(list);
            } else if (value instanceof Set<?> set) {
                out.writeByte(SET);
                elements(set);
            } else if (value instanceof Map<?, ?> map) {
                out.writeByte(MAP);
                out.writeInt(map.size());
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    value(entry.getKey());
                    value(entry.getValue());
                }
            } else if (value instanceof Record record && ours(record.getClass())) {
                record(record);
            } else if (value instanceof Enum<?> constant && ours(constant.getDeclaringClass())) {
                out.writeByte(ENUM);
                string(constant.getDeclaringClass().getName());
                string(constant.name());
            } else {
                constant(value);
            }
        }

        private void record(Record record) throws IOException {
            out.writeByte(RECORD);
            string(record.getClass().getName());
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                try {
                    Method accessor = component.getAccessor();
                    accessor.setAccessible(true);
                    value(accessor.invoke(record));
                } catch (IllegalAccessException | InvocationTargetException e) {
                    throw new NotStorableException(record.getClass().getName() + "." + component.getName()
                            + ": cannot be read: " + e);
                }
            }
        }

        /** An object of another kind is kept only as the constant of its class it is. */
        private void constant(Object value) throws IOException {
            Class<?> type = value.getClass();
            if (ours(type)) {
                for (Field field : type.getFields()) {
                    int modifiers = field.getModifiers();
                    if (Modifier.isStatic(modifiers) && Modifier.isFinal(modifiers) && field.getDeclaringClass() == type
                            && get(field) == value) {
                        out.writeByte(CONSTANT);
                        string(type.getName());
                        string(field.getName());
                        return;
                    }
                }
            }
            throw new NotStorableException("a " + type.getName() + " is not kept (not a record, a plain value"
                    + " or a constant of its class)");
        }

        private void elements(Collection<?> elements) throws IOException {
            out.writeInt(elements.size());
            for (Object element : elements) {
                value(element);
            }
        }

        /** A path by its name in the folder ("" for the folder itself). */
        private String nameIn(Path path) throws NotStorableException {
            if (path.equals(folder)) {
                return "";
            }
            if (folder.equals(path.getParent()) || (path.getParent() == null && folder.toString().isEmpty())) {
                return path.getFileName().toString();
            }
            throw new NotStorableException(path + " does not lie directly in " + folder);
        }

        private void string(String text) throws IOException {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            out.writeInt(bytes.length);
            out.write(bytes);
        }

        private static Object get(Field field) {
            try {
                return field.get(null);
            } catch (IllegalAccessException e) {
                return null;
            }
        }
    }

    private static final class Reader {
        private final DataInput in;
        private final Path folder;
        private final Map<Class<?>, Constructor<?>> constructors = new HashMap<>();

        Reader(DataInput in, Path folder) {
            this.in = in;
            this.folder = folder;
        }

        Object value() throws IOException {
            byte tag = in.readByte();
            switch (tag) {
                case NULL:
                    return null;
                case STRING:
                    return string();
                case BOOLEAN:
                    return in.readBoolean();
                case INTEGER:
                    return in.readInt();
                case LONG:
                    return in.readLong();
                case DOUBLE:
                    return in.readDouble();
                case DURATION:
                    return Duration.ofSeconds(in.readLong(), in.readInt());
                case PATTERN:
                    return Pattern.compile(string(), in.readInt());
                case PATH:
                    return folder.resolve(string());
                case LIST:
                    return Collections.unmodifiableList(elements(new ArrayList<>()));
                case SET:
                    return Collections.unmodifiableSet(elements(new LinkedHashSet<>()));
                case MAP:
                    return map();
                case RECORD:
                    return record();
                case ENUM:
                    return enumConstant();
                case CONSTANT:
                    return constant();
                default:
                    throw new IOException("not a record tree: tag " + tag);
            }
        }

        private Map<Object, Object> map() throws IOException {
            int size = in.readInt();
            Map<Object, Object> map = new LinkedHashMap<>();
            for (int i = 0; i < size; i++) {
                map.put(value(), value());
            }
            return Collections.unmodifiableMap(map);
        }

        private <C extends Collection<Object>> C elements(C elements) throws IOException {
            int size = in.readInt();
            for (int i = 0; i < size; i++) {
                elements.add(value());
            }
            return elements;
        }

        private Object record() throws IOException {
            Class<?> type = ourClass(string());
            Constructor<?> constructor = constructors.get(type);
            if (constructor == null) {
                if (!type.isRecord()) {
                    throw new IOException(type.getName() + " is not a record");
                }
                Class<?>[] types = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getType)
                        .toArray(Class<?>[]::new);
                try {
                    constructor = type.getDeclaredConstructor(types);
                    constructor.setAccessible(true);
                } catch (NoSuchMethodException e) {
                    throw new IOException(type.getName() + " has no canonical constructor", e);
                }
                constructors.put(type, constructor);
            }
            Object[] components = new Object[constructor.getParameterCount()];
            for (int i = 0; i < components.length; i++) {
                components[i] = value();
            }
            try {
                return constructor.newInstance(components);
            } catch (ReflectiveOperationException | IllegalArgumentException e) {
                throw new IOException("cannot rebuild a " + type.getName() + ": " + e, e);
            }
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private Object enumConstant() throws IOException {
            Class<?> type = ourClass(string());
            String name = string();
            if (!type.isEnum()) {
                throw new IOException(type.getName() + " is not an enum");
            }
            try {
                return Enum.valueOf((Class) type, name);
            } catch (IllegalArgumentException e) {
                throw new IOException(type.getName() + " has no constant " + name, e);
            }
        }

        private Object constant() throws IOException {
            Class<?> type = ourClass(string());
            String name = string();
            try {
                Field field = type.getField(name);
                if (!Modifier.isStatic(field.getModifiers()) || !Modifier.isFinal(field.getModifiers())) {
                    throw new IOException(type.getName() + "." + name + " is not a constant");
                }
                return field.get(null);
            } catch (ReflectiveOperationException e) {
                throw new IOException("no constant " + type.getName() + "." + name, e);
            }
        }

        private static Class<?> ourClass(String name) throws IOException {
            if (!name.startsWith(OURS)) {
                throw new IOException(name + " is not a class of this tool");
            }
            try {
                return Class.forName(name, false, RecordTree.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IOException("no class " + name, e);
            }
        }

        private String string() throws IOException {
            int length = in.readInt();
            if (length < 0) {
                throw new IOException("not a record tree: string of length " + length);
            }
            byte[] bytes = new byte[length];
            in.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static boolean ours(Class<?> type) {
        return type.getName().startsWith(OURS);
    }
}
