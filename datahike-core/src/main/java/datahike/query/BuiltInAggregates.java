package datahike.query;

import datahike.DatahikeException;

import datahike.edn.Symbol;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Datahike's built-in aggregates: count, count-distinct, sum, avg, median, variance, stddev,
 * min/max (also with n), distinct, rand, sample.
 */
final class BuiltInAggregates {
  private BuiltInAggregates() {}

  private static final Map<Symbol, AggregateFn> AGGS = new HashMap<>();

  static AggregateFn get(Symbol name) {
    return AGGS.get(name);
  }

  private static void def(String name, AggregateFn f) {
    AGGS.put(Symbol.of(name), f);
  }

  static Number sum(List<Object> vs) {
    Number acc = 0L;
    for (Object v : vs) {
      acc = Num.add(acc, v);
    }
    return acc;
  }

  static Number avg(List<Object> vs) {
    return Num.div(sum(vs), (long) vs.size());
  }

  static Number variance(List<Object> vs) {
    Number mean = avg(vs);
    Number acc = 0L;
    for (Object v : vs) {
      Number d = Num.sub(v, mean);
      acc = Num.add(acc, Num.mul(d, d));
    }
    return Num.div(acc, (long) vs.size());
  }

  /** Most results an aggregate may build from its n argument: beyond, an error, not exhaustion. */
  static final long MAX_N = 10_000_000;

  private static int n(List<Object> args) {
    long n = Num.num(args.get(0)).longValue();
    if (n < 0 || n > MAX_N) {
      throw DatahikeException.of(
          "query/aggregate", "Aggregate count " + n + " must be between 0 and " + MAX_N, "n", n);
    }
    return (int) n;
  }

  static {
    def("count", (args, vs) -> (long) vs.size());
    def(
        "count-distinct",
        (args, vs) -> {
          Set<Key> seen = new HashSet<>();
          for (Object v : vs) {
            seen.add(new Key(new Object[] {v}));
          }
          return (long) seen.size();
        });
    def("sum", (args, vs) -> sum(vs));
    def("avg", (args, vs) -> avg(vs));
    def(
        "median",
        (args, vs) -> {
          List<Object> sorted = new ArrayList<>(vs);
          sorted.sort(Clj::compare);
          int size = sorted.size();
          int med = size >> 1;
          Object m = sorted.get(med);
          if (size % 2 == 0) {
            return Num.div(Num.add(m, sorted.get(med - 1)), 2L);
          }
          return m;
        });
    def("variance", (args, vs) -> variance(vs));
    def("stddev", (args, vs) -> Math.sqrt(variance(vs).doubleValue()));
    def("distinct", (args, vs) -> new LinkedHashSet<>(vs));
    def(
        "min",
        (args, vs) -> {
          if (args.isEmpty()) {
            Object best = vs.get(0);
            for (Object v : vs) {
              if (Clj.compare(v, best) < 0) {
                best = v;
              }
            }
            return best;
          }
          List<Object> sorted = new ArrayList<>(vs);
          sorted.sort(Clj::compare);
          return new ArrayList<>(sorted.subList(0, Math.min(n(args), sorted.size())));
        });
    def(
        "max",
        (args, vs) -> {
          if (args.isEmpty()) {
            Object best = vs.get(0);
            for (Object v : vs) {
              if (Clj.compare(v, best) > 0) {
                best = v;
              }
            }
            return best;
          }
          List<Object> sorted = new ArrayList<>(vs);
          sorted.sort(Clj::compare);
          int k = Math.min(n(args), sorted.size());
          return new ArrayList<>(sorted.subList(sorted.size() - k, sorted.size()));
        });
    def(
        "rand",
        (args, vs) -> {
          ThreadLocalRandom r = ThreadLocalRandom.current();
          if (args.isEmpty()) {
            return vs.get(r.nextInt(vs.size()));
          }
          List<Object> out = new ArrayList<>();
          for (int i = 0; i < n(args); i++) {
            out.add(vs.get(r.nextInt(vs.size())));
          }
          return out;
        });
    def(
        "sample",
        (args, vs) -> {
          List<Object> shuffled = new ArrayList<>(vs);
          Collections.shuffle(shuffled, ThreadLocalRandom.current());
          return new ArrayList<>(shuffled.subList(0, Math.min(n(args), shuffled.size())));
        });
  }
}
