package datahike.query;

/**
 * A function or predicate callable from a query clause: {@code [(my-fn ?x ?y) ?z]} or {@code
 * [(my-pred? ?x)]}. A predicate passes when the result is truthy (neither null nor false); a
 * function's null result drops the tuple.
 */
@FunctionalInterface
public interface QueryFn {
  /** Calls the function with the clause's arguments, in order (sources are passed as values). */
  Object invoke(Object... args);
}
