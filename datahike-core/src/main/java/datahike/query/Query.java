package datahike.query;

import datahike.edn.Keyword;
import datahike.edn.Symbol;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The query engine's entry point: runs a Datalog query (already read from EDN: a vector or map
 * form) against its inputs and returns Datahike's result shapes.
 *
 * <ul>
 *   <li>relation {@code [:find ?a ?b]}: a {@code Set<List<Object>>} (duplicates collapse);
 *   <li>with {@code :with}: a {@code List<List<Object>>} (a bag);
 *   <li>collection {@code [:find [?a ...]]}: a {@code List<Object>};
 *   <li>tuple {@code [:find [?a ?b]]}: a {@code List<Object>}, or null;
 *   <li>scalar {@code [:find ?a .]}: the value, or null;
 *   <li>{@code :keys}/{@code :syms}/{@code :strs}: maps keyed by keywords, symbols or strings.
 * </ul>
 *
 * Inputs follow {@code :in} (default {@code [$]}): a {@code datahike.db.Db} or a collection of
 * tuples for a source, rules (a list of rule forms) for {@code %}, any value for a binding.
 */
public final class Query {
  private Query() {}

  /** Runs {@code query} with {@code inputs}. */
  public static Object q(Object query, List<Object> inputs, QueryOptions opts) {
    return run(query, inputs, opts == null ? QueryOptions.DEFAULTS : opts, null);
  }

  /** Runs {@code query} with {@code inputs} and default options. */
  public static Object q(Object query, Object... inputs) {
    return q(query, Arrays.asList(inputs), QueryOptions.DEFAULTS);
  }

  /**
   * Runs the query and describes how it ran: one map per executed clause, in execution order,
   * with {@code :clause}, {@code :depth} (0 for the top level, more inside rules), {@code
   * :strategy} (scan, range-scan, lookup, entity-walk, hash-join, range-hash-join, filter,
   * range-bound: a comparison the range scan before it answered, function, anti-join, union,
   * rule), {@code :estimated-rows} (the planner's estimate when it chose the clause), {@code
   * :actual-rows} (the size of the relation the clause produced) and {@code :time-us}. The clauses of one entity walk ran as one step: each is listed, with the
   * step's rows, and the step's time on the first.
   */
  public static List<Map<Keyword, Object>> explain(
      Object query, List<Object> inputs, QueryOptions opts) {
    QueryStats stats = new QueryStats();
    run(query, inputs, opts == null ? QueryOptions.DEFAULTS : opts, stats);
    return stats.toData();
  }

  /**
   * Runs the query and returns {@code {:ret result, :query-stats [steps]}} (steps as in {@link
   * #explain}), after Datahike's {@code query-stats}.
   */
  public static Map<Keyword, Object> queryStats(
      Object query, List<Object> inputs, QueryOptions opts) {
    QueryStats stats = new QueryStats();
    Object ret = run(query, inputs, opts == null ? QueryOptions.DEFAULTS : opts, stats);
    Map<Keyword, Object> m = new LinkedHashMap<>();
    m.put(Keyword.of("ret"), ret);
    m.put(Keyword.of("query-stats"), stats.toData());
    return m;
  }

  private static Object run(Object query, List<Object> inputs, QueryOptions opts, QueryStats st) {
    ParsedQuery q = QueryParser.parse(query);
    long timeout = opts.timeoutMs() > 0 ? opts.timeoutMs() : q.timeoutMs();
    Deadline deadline = timeout > 0 ? new Deadline(timeout) : Deadline.NONE;
    Deadline outer = deadline.install();
    try {
      return run(q, inputs, opts, st, deadline);
    } finally {
      Deadline.restore(outer);
    }
  }

  private static Object run(
      ParsedQuery q, List<Object> inputs, QueryOptions opts, QueryStats st, Deadline deadline) {
    Map<Symbol, Object> sources = new HashMap<>();
    Map<Symbol, Object> scalars = new HashMap<>();
    RuleSet rules = RuleSet.EMPTY;
    Context ctx =
        new Context(sources, rules, Forms.DEFAULT_SRC, new RuleEngine(), deadline, st, null);
    int n = Math.min(q.in().size(), inputs == null ? 0 : inputs.size());
    for (int i = 0; i < n; i++) {
      ParsedQuery.In in = q.in().get(i);
      Object value = inputs.get(i);
      if (in instanceof ParsedQuery.InSource s) {
        sources.put(s.symbol(), value);
      } else if (in instanceof ParsedQuery.InRules) {
        rules = RuleSet.parse(value);
      } else {
        Binding b = ((ParsedQuery.InBinding) in).binding();
        if (b instanceof Binding.Scalar s) {
          scalars.put(s.var(), value);
        }
        ctx.add(Bindings.bind(b, value, deadline));
      }
    }
    if (rules != RuleSet.EMPTY) {
      Context withRules =
          new Context(sources, rules, Forms.DEFAULT_SRC, ctx.engine, deadline, st, null);
      withRules.rels.addAll(ctx.rels);
      withRules.empty = ctx.empty;
      ctx = withRules;
    }
    Executor.run(ctx, q.where());
    return FindProcessor.result(q, ctx, scalars, opts);
  }
}
