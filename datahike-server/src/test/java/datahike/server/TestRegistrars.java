package datahike.server;

import datahike.Datahike;
import datahike.edn.Keyword;
import datahike.spi.FunctionRegistrar;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Registrars for the plugin tests: good ones, and one of each way to be wrong. */
final class TestRegistrars {
  private TestRegistrars() {}

  /** Registers {@code :plugin-test/name-of [e name]}: asserts {@code :name} on {@code e}. */
  public static final class NameOf implements FunctionRegistrar {
    static final AtomicInteger RUNS = new AtomicInteger();

    @Override
    public void register() {
      RUNS.incrementAndGet();
      Datahike.registerTxFunction(
          Keyword.of("plugin-test/name-of"),
          (db, args) ->
              List.of(List.of(Keyword.of("db/add"), args.get(0), Keyword.of("name"), args.get(1))));
    }
  }

  /** Found through ServiceLoader (src/test/resources/META-INF/services), not named anywhere. */
  public static final class Discovered implements FunctionRegistrar {
    static final AtomicInteger RUNS = new AtomicInteger();

    @Override
    public void register() {
      RUNS.incrementAndGet();
    }
  }

  /** Not a registrar. */
  public static final class NotOne {}

  /** Fails while registering. */
  public static final class Failing implements FunctionRegistrar {
    @Override
    public void register() {
      throw new IllegalStateException("no database for my functions");
    }
  }

  /** Has no public no-argument constructor. */
  public static final class NoConstructor implements FunctionRegistrar {
    public NoConstructor(String ignored) {}

    @Override
    public void register() {}
  }
}
