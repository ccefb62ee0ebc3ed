package datahike.api;

import static org.assertj.core.api.Assertions.assertThat;

import datahike.Datahike;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The operation table and the Java facade cannot drift: every operation has its method. */
class OperationTest {
  @Test
  void everyOperation_hasAPublicStaticFacadeMethod() {
    Set<String> methods = new HashSet<>();
    for (Method m : Datahike.class.getMethods()) {
      if (Modifier.isStatic(m.getModifiers())) methods.add(m.getName());
    }
    for (Operation op : Operation.values()) {
      assertThat(methods).as("Datahike.%s for %s", op.javaName(), op).contains(op.javaName());
    }
  }

  @Test
  void cliNamesAndRoutes_areUnique() {
    long cli = Arrays.stream(Operation.values()).filter(o -> o.cliName() != null).count();
    long distinctCli =
        Arrays.stream(Operation.values()).map(Operation::cliName).filter(n -> n != null).distinct().count();
    assertThat(distinctCli).isEqualTo(cli);
    assertThat(Operation.byCliName("pull-many")).isSameAs(Operation.PULL_MANY);
    assertThat(Operation.PULL_MANY.route()).isEqualTo("/pull-many");
    assertThat(Operation.FILTER.route()).isNull();
    assertThat(Operation.TRANSACT.mutates()).isTrue();
  }
}
