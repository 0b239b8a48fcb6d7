package dev.triagerules.policy;

import dev.triagerules.base.Problem;
import dev.triagerules.base.RecordTree;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.Externalizable;
import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A loaded policy and the warnings loading it gave, as the compiled-rules cache keeps it
 * inside its authenticated entry: a cached run then reads no YAML (Jackson's YAML binding
 * cost 130-180 ms of a run's start-up). The policy is kept as a {@link RecordTree}, its
 * files by name, so one entry serves the folder under any spelling ({@code policy},
 * {@code ./policy}), and it reads back equal to what {@link PolicyLoader} makes.
 *
 * <p>Only a policy that loaded without errors is stored; the entry's key covers every
 * policy file's bytes, so it is never stale.
 */
public final class StoredPolicy implements Externalizable {
    private static final long serialVersionUID = 1L;

    /** The policy and its warnings as a record tree, their files named relative to the folder. */
    private byte[] tree;

    /** For deserialization only. */
    public StoredPolicy() {
    }

    private StoredPolicy(byte[] tree) {
        this.tree = tree;
    }

    /**
     * The stored form of a policy loaded from {@code dir} with the warnings loading it gave;
     * empty when the policy holds a value {@link RecordTree} does not keep (then the cache
     * keeps the rules alone, and runs read the policy's YAML).
     */
    public static Optional<StoredPolicy> of(Path dir, Policy policy, List<Problem> warnings) {
        for (Problem warning : warnings) {
            if (warning.isError()) {
                throw new IllegalArgumentException("a policy with errors is not stored: " + warning);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            RecordTree.write(out, new Loaded(policy, List.copyOf(warnings)), dir);
        } catch (RecordTree.NotStorableException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array cannot fail to be written
        }
        return Optional.of(new StoredPolicy(bytes.toByteArray()));
    }

    /** A policy and the warnings loading it gave. */
    public record Loaded(Policy policy, List<Problem> warnings) {
    }

    /**
     * The policy and its warnings, their files in {@code dir}; empty if they do not read back
     * (the caller then reads the YAML: the entry is authenticated, so only a bug of ours gets here).
     */
    public Optional<Loaded> load(Path dir) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(tree))) {
            return Optional.of((Loaded) RecordTree.read(in, dir));
        } catch (IOException | ClassCastException e) {
            return Optional.empty();
        }
    }

    @Override
    public void writeExternal(ObjectOutput out) throws IOException {
        out.writeInt(tree.length);
        out.write(tree);
    }

    @Override
    public void readExternal(ObjectInput in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            throw new IOException("a stored policy of " + length + " bytes");
        }
        tree = new byte[length];
        in.readFully(tree);
    }
}
