package dev.triagerules.base;

/**
 * A problem with one entry of a YAML file a user wrote, named by its path as
 * {@link YamlLocations} spells it ({@code junit/scenario/1}) so that the loader can point at
 * it: at the entry's key when the key is what is wrong (a name no one defines), else at its
 * value.
 */
public record EntryProblem(String path, boolean aboutKey, String message) {

    public static EntryProblem atKey(String path, String message) {
        return new EntryProblem(path, true, message);
    }

    public static EntryProblem atValue(String path, String message) {
        return new EntryProblem(path, false, message);
    }
}
