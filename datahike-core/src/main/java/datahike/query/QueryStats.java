package datahike.query;

import datahike.edn.Keyword;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-clause statistics of one query run, in execution order: the clause, how it ran, the
 * planner's row estimate and the actual row count after it, and its time. Collected only when
 * asked for ({@link Query#explain}, {@link Query#queryStats}).
 */
final class QueryStats {
  /** One executed clause. */
  record Step(int depth, String clause, String strategy, double estimated, long rows, long nanos) {}

  private final List<Step> steps = new ArrayList<>();

  synchronized void add(int depth, Object form, String strategy, double est, long rows, long ns) {
    steps.add(new Step(depth, Forms.print(form), strategy, est, rows, ns));
  }

  synchronized List<Step> steps() {
    return List.copyOf(steps);
  }

  /** The steps as EDN-friendly maps. */
  List<Map<Keyword, Object>> toData() {
    List<Map<Keyword, Object>> out = new ArrayList<>();
    for (Step s : steps()) {
      Map<Keyword, Object> m = new LinkedHashMap<>();
      m.put(Keyword.of("clause"), s.clause());
      m.put(Keyword.of("depth"), (long) s.depth());
      m.put(Keyword.of("strategy"), Keyword.of(s.strategy()));
      m.put(Keyword.of("estimated-rows"), Math.round(s.estimated()));
      m.put(Keyword.of("actual-rows"), s.rows());
      m.put(Keyword.of("time-us"), s.nanos() / 1000);
      out.add(m);
    }
    return out;
  }
}
