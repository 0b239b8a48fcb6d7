package dev.triagerules.replay;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Ends the replay trees of a JVM that dies without ending them itself ({@code kill -9}, the
 * OOM killer, a crash): no shutdown hook runs then, and each tree lives in a session of its
 * own, so nothing else would stop it.
 *
 * <p>A small {@code sh} helper, in a session of its own too (so a signal to the JVM's
 * process group does not reach it), reads {@code +SID} and {@code -SID} lines from a pipe
 * whose writing end only this JVM holds (the JDK closes it in every child). The kernel
 * closes that end however the JVM ends; at end of input the helper kills every live process
 * whose session is still listed, again until none is left, and exits. A tree ended normally
 * is taken off the list first.
 *
 * <p>Why not {@code PR_SET_PDEATHSIG} ({@code setpriv --pdeathsig}) on each session leader:
 * it reaches only the leader, not its children, so it needs a supervisor anyway; a shell
 * supervisor would have to run the command in the background, which makes it ignore
 * SIGINT and SIGQUIT (POSIX), changing how it behaves; and the signal fires when the
 * <em>thread</em> that started the leader ends, not the JVM. End of input has none of these
 * catches. A tree's command waits until its session is registered ({@code ProcessTree.HOLD}).
 * What still escapes: a process that starts a session of its own ({@code setsid}, a daemon).
 */
final class ParentDeathWatch implements AutoCloseable {
    /**
     * Collects session ids until end of input, then kills their processes, looking again
     * every 50 ms (at most 200 times) for any still alive. Fields of /proc/PID/stat are
     * counted after the last ") ", as the command name may hold spaces and parentheses.
     */
    private static final String SCRIPT = """
            sids=' '
            while IFS= read -r line; do
              case $line in
                +*) sids="$sids${line#+} " ;;
                -*) s=" ${line#-} "
                    case $sids in *"$s"*) sids="${sids%%"$s"*} ${sids#*"$s"}" ;; esac ;;
              esac
            done
            [ "$sids" = ' ' ] && exit 0
            rounds=0
            while [ "$rounds" -lt 200 ]; do
              found=
              for stat in /proc/[0-9]*/stat; do
                { read -r line < "$stat"; } 2>/dev/null || continue
                set -- ${line##*) }
                case $sids in *" $4 "*)
                  if [ "$1" != Z ] && [ "$1" != X ]; then p=${stat#/proc/}; found="$found ${p%/stat}"; fi ;;
                esac
              done
              [ -z "$found" ] && exit 0
              kill -KILL $found 2>/dev/null
              sleep 0.05 2>/dev/null || sleep 1
              rounds=$((rounds + 1))
            done
            """;

    private final Process helper;
    private final OutputStream sessions;
    private boolean broken;

    private ParentDeathWatch(Process helper) {
        this.helper = helper;
        this.sessions = helper.getOutputStream();
    }

    /** Starts the helper; {@code setsid} (may be null) puts it in a session of its own. */
    static ParentDeathWatch start(String setsid) throws IOException {
        List<String> argv = new ArrayList<>();
        if (setsid != null) {
            argv.add(setsid);
        }
        argv.addAll(List.of("sh", "-c", SCRIPT, "triage-rules-replay-watch"));
        ProcessBuilder builder = new ProcessBuilder(argv)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> env = builder.environment();
        String path = env.get("PATH");
        env.clear();
        if (path != null) {
            env.put("PATH", path);
        }
        return new ParentDeathWatch(builder.start());
    }

    /** Kill this session's processes if the JVM dies before {@link #unwatch}. */
    synchronized void watch(long sessionId) {
        send("+" + sessionId);
    }

    synchronized void unwatch(long sessionId) {
        send("-" + sessionId);
    }

    long pid() {
        return helper.pid();
    }

    /** No more trees: the helper ends (after killing whatever is still listed). */
    @Override
    public synchronized void close() {
        try {
            sessions.close();
        } catch (IOException e) {
            // The helper is gone already.
        }
    }

    private void send(String line) {
        if (broken) {
            return;
        }
        try {
            sessions.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            sessions.flush();
        } catch (IOException e) {
            // The helper died (killed by someone): trees are still ended on timeout and Ctrl-C.
            broken = true;
        }
    }
}
