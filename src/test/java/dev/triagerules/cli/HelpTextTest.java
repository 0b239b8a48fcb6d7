package dev.triagerules.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What --help shows of each command. */
class HelpTextTest {
    @Test
    void everyCommandIsListedByAWholeSentence() {
        // picocli lists a subcommand by its header, else by the first element of its
        // description: a sentence cut at a line break there reads "... with their".
        List<String> cut = new ArrayList<>();
        collect(Main.commandLine(), cut);
        assertThat(cut).isEmpty();
    }

    @Test
    void examplesFitAnEightyColumnTerminal() {
        // Help is wrapped at 80 columns off a wide terminal: a longer example line was cut
        // in the middle of its command, and the copy failed when pasted.
        List<String> tooLong = new ArrayList<>();
        collectLong(Main.commandLine(), tooLong);
        assertThat(tooLong).isEmpty();
    }

    private static void collectLong(CommandLine command, List<String> tooLong) {
        CommandLine.Model.UsageMessageSpec usage = command.getCommandSpec().usageMessage();
        List<String> elements = new ArrayList<>(List.of(usage.footer()));
        elements.addAll(List.of(usage.description()));
        for (String element : elements) {
            for (String line : String.format(element).split("\n")) {
                // Indented lines are laid out by hand (examples and their continuations); prose wraps well.
                if (line.startsWith(" ") && line.length() > 79) {
                    tooLong.add(command.getCommandSpec().qualifiedName() + ": " + line);
                }
            }
        }
        command.getSubcommands().values().forEach(sub -> collectLong(sub, tooLong));
    }

    private static void collect(CommandLine command, List<String> cut) {
        CommandLine.Model.UsageMessageSpec usage = command.getCommandSpec().usageMessage();
        String[] description = usage.description();
        if (usage.header().length == 0 && description.length > 0 && !description[0].strip().endsWith(".")) {
            cut.add(command.getCommandSpec().qualifiedName() + ": " + description[0]);
        }
        command.getSubcommands().values().forEach(sub -> collect(sub, cut));
    }
}
