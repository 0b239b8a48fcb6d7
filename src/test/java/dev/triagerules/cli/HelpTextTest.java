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

    private static void collect(CommandLine command, List<String> cut) {
        CommandLine.Model.UsageMessageSpec usage = command.getCommandSpec().usageMessage();
        String[] description = usage.description();
        if (usage.header().length == 0 && description.length > 0 && !description[0].strip().endsWith(".")) {
            cut.add(command.getCommandSpec().qualifiedName() + ": " + description[0]);
        }
        command.getSubcommands().values().forEach(sub -> collect(sub, cut));
    }
}
