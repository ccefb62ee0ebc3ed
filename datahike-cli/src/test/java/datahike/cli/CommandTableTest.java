package datahike.cli;

import static org.assertj.core.api.Assertions.assertThat;

import datahike.api.Operation;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The CLI cannot drift from {@link Operation}: every CLI operation is a command with a handler. */
class CommandTableTest {
  @Test
  void everyCliOperation_isACommandWithHandlerAndDoc() {
    CommandLine cl = CommandTable.build();
    for (Operation op : Operation.values()) {
      if (op.cliName() == null) continue;
      if (op.kind() == Operation.Kind.VIEW) {
        // Views are database argument prefixes, listed in the root help.
        assertThat(cl.getUsageMessage()).contains(op.doc());
        continue;
      }
      assertThat(OperationHandlers.spec(op)).as("handler for " + op.cliName()).isNotNull();
      CommandLine sub = cl.getSubcommands().get(op.cliName());
      assertThat(sub).as("command " + op.cliName()).isNotNull();
      assertThat(sub.getCommandSpec().usageMessage().description()).containsExactly(op.doc());
      assertThat(sub.getCommandSpec().positionalParameters()).hasSize(op.args().size());
    }
  }

  @Test
  void handlers_onlyForCliOperations() {
    for (Operation op : OperationHandlers.SPECS.keySet()) {
      assertThat(OperationHandlers.isCommand(op)).as(op.name()).isTrue();
    }
  }
}
