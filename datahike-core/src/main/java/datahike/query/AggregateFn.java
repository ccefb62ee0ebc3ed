package datahike.query;

import java.util.List;

/**
 * A custom aggregate for {@code :find}: {@code (my-agg ?x)} or {@code (my-agg 3 ?x)}. It receives
 * the constant arguments written before the variable and the group's values (a bag: one value per
 * tuple of the group).
 */
@FunctionalInterface
public interface AggregateFn {
  /** Aggregates {@code values}; {@code args} are the constant arguments (often empty). */
  Object aggregate(List<Object> args, List<Object> values);
}
