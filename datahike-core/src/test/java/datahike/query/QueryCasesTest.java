package datahike.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import datahike.DatahikeException;
import datahike.edn.EdnReader;
import datahike.edn.Keyword;
import datahike.edn.Symbol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the {@code :q} steps of the shared query conformance cases against {@link MemDb} (built by
 * {@link MemDbBuilder}), before the real transactor and runner exist. Cases needing history,
 * attribute refs or transaction steps are skipped; the real ConformanceTest covers them.
 */
class QueryCasesTest {
  static final Keyword ID = Keyword.of("id");
  static final Keyword CONFIG = Keyword.of("config");
  static final Keyword SCHEMA = Keyword.of("schema");
  static final Keyword TX = Keyword.of("tx");
  static final Keyword DBS = Keyword.of("dbs");
  static final Keyword DB = Keyword.of("db");
  static final Keyword STEPS = Keyword.of("steps");
  static final Keyword OP = Keyword.of("op");
  static final Keyword QUERY = Keyword.of("query");
  static final Keyword ARGS = Keyword.of("args");
  static final Keyword EXPECT = Keyword.of("expect");
  static final Keyword CMP = Keyword.of("cmp");
  static final Keyword ERROR = Keyword.of("expect-error");
  static final Keyword CONTAINS = Keyword.of("error-contains");
  static final Keyword OFFSET = Keyword.of("offset");
  static final Keyword LIMIT = Keyword.of("limit");

  static Path dir() {
    return Path.of(
        System.getProperty("datahike.conformance.dir", "../../shared/conformance"), "query");
  }

  @TestFactory
  Stream<DynamicTest> queryCases() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir())) {
      for (Path f : files.sorted().toList()) {
        List<?> cases = (List<?>) EdnReader.read(Files.readString(f));
        for (Object c : cases) {
          Map<?, ?> m = (Map<?, ?>) c;
          String id = (String) m.get(ID);
          String skip = skipReason(m);
          if (skip != null) {
            continue;
          }
          tests.add(DynamicTest.dynamicTest(id, () -> runCase(m)));
        }
      }
    }
    return tests.stream();
  }

  static String skipReason(Map<?, ?> m) {
    Map<?, ?> config = (Map<?, ?>) m.get(CONFIG);
    if (config != null && Boolean.TRUE.equals(config.get(Keyword.of("attribute-refs?")))) {
      return "attribute refs";
    }
    for (Object s : (List<?>) m.get(STEPS)) {
      Map<?, ?> step = (Map<?, ?>) s;
      if (step.get(OP) != Keyword.of("q") || step.containsKey(DB)) {
        return "needs the transactor or views";
      }
    }
    return null;
  }

  static MemDb build(Map<?, ?> spec, Map<?, ?> config) {
    boolean read =
        config != null && config.get(Keyword.of("schema-flexibility")) == Keyword.of("read");
    MemDbBuilder b = new MemDbBuilder(read);
    if (spec.get(SCHEMA) instanceof Map<?, ?> s) {
      b.schema(s);
    }
    if (spec.get(TX) instanceof List<?> txs) {
      for (Object tx : txs) {
        b.transact((List<?>) tx);
      }
    }
    return b.build();
  }

  static void runCase(Map<?, ?> m) {
    Map<?, ?> config = (Map<?, ?>) m.get(CONFIG);
    MemDb db = build(m, config);
    Map<Object, MemDb> dbs = new HashMap<>();
    if (m.get(DBS) instanceof Map<?, ?> extra) {
      for (Map.Entry<?, ?> e : extra.entrySet()) {
        dbs.put(e.getKey(), build((Map<?, ?>) e.getValue(), config));
      }
    }
    for (Object s : (List<?>) m.get(STEPS)) {
      Map<?, ?> step = (Map<?, ?>) s;
      List<Object> args = new ArrayList<>();
      for (Object a : (List<?>) step.get(ARGS)) {
        if (a == Symbol.of("$")) {
          args.add(db);
        } else if (a instanceof Map<?, ?> am && am.size() == 1 && am.containsKey(DB)) {
          args.add(dbs.get(am.get(DB)));
        } else {
          args.add(a);
        }
      }
      QueryOptions opts =
          new QueryOptions(
              step.get(OFFSET) instanceof Number n ? n.longValue() : -1,
              step.get(LIMIT) instanceof Number n ? n.longValue() : -1,
              -1);
      if (Boolean.TRUE.equals(step.get(ERROR))) {
        assertThatThrownBy(() -> Query.q(step.get(QUERY), args, opts))
            .isInstanceOf(DatahikeException.class)
            .hasMessageContaining((String) step.get(CONTAINS));
        continue;
      }
      Object result = Query.q(step.get(QUERY), args, opts);
      check(result, step.get(EXPECT), (Keyword) step.get(CMP));
    }
  }

  static void check(Object result, Object expect, Keyword cmp) {
    String how = cmp == null ? "exact" : cmp.name();
    Object r = norm(result);
    Object e = norm(expect);
    switch (how) {
      case "set":
        assertThat(new HashSet<>((Collection<?>) r)).isEqualTo(new HashSet<>((Collection<?>) e));
        break;
      case "bag":
        assertThat(counts((Collection<?>) r)).isEqualTo(counts((Collection<?>) e));
        break;
      case "count":
        assertThat(((Collection<?>) r).size()).isEqualTo(((Number) expect).intValue());
        break;
      case "one-of":
        assertThat(((Collection<?>) e).contains(r)).as("%s one of %s", r, e).isTrue();
        break;
      default:
        assertThat(r).isEqualTo(e);
    }
  }

  static Map<Object, Integer> counts(Collection<?> c) {
    Map<Object, Integer> m = new HashMap<>();
    for (Object o : c) {
      m.merge(o, 1, Integer::sum);
    }
    return m;
  }

  /** Plain Java structures with Java equality: lists, sets, maps, longs. */
  static Object norm(Object o) {
    if (o instanceof Integer i) {
      return (long) i;
    }
    if (o instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object x : l) {
        out.add(norm(x));
      }
      return out;
    }
    if (o instanceof java.util.Set<?> s) {
      java.util.Set<Object> out = new HashSet<>();
      for (Object x : s) {
        out.add(norm(x));
      }
      return out;
    }
    if (o instanceof Collection<?> c) {
      return norm(new ArrayList<>(c));
    }
    if (o instanceof Map<?, ?> mm) {
      Map<Object, Object> out = new HashMap<>();
      for (Map.Entry<?, ?> e : mm.entrySet()) {
        out.put(norm(e.getKey()), norm(e.getValue()));
      }
      return out;
    }
    return o;
  }
}
