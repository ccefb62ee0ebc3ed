package datahike.conformance;

import datahike.Datahike;
import datahike.Entity;
import datahike.edn.Keyword;
import datahike.edn.Symbol;
import datahike.spi.FunctionRegistrar;
import java.util.regex.Pattern;

/**
 * The named functions the conformance corpus uses (the entity predicates of Datahike's entity-spec
 * tests). {@link ConformanceRunner} registers them in its own JVM; a server that the corpus runs
 * against loads them with {@code :plugins ["datahike.conformance.ConformanceFunctions"]} in its
 * configuration. Deliberately not listed for {@link java.util.ServiceLoader}: test names have no
 * place in every server.
 */
public final class ConformanceFunctions implements FunctionRegistrar {
  private static final Pattern EMAIL =
      Pattern.compile("[a-zA-Z0-9_.+-]+@[a-zA-Z0-9-]+\\.[a-zA-Z0-9-.]+");

  /** For {@link java.util.ServiceLoader} and servers' {@code :plugins}. */
  public ConformanceFunctions() {}

  @Override
  public void register() {
    Datahike.registerEntityPredicate(
        Symbol.of("datahike.test.entity-spec-test/is-email?"),
        (db, e) -> {
          Entity en = db.entity(e);
          Object v = en == null ? null : en.get(Keyword.of("account/email"));
          return v instanceof String s && EMAIL.matcher(s).matches();
        });
    Datahike.registerEntityPredicate(
        Symbol.of("datahike.test.entity-spec-test/positive-balance?"),
        (db, e) -> {
          Entity en = db.entity(e);
          Object v = en == null ? null : en.get(Keyword.of("account/balance"));
          return v instanceof Number n && n.doubleValue() > 0;
        });
  }
}
