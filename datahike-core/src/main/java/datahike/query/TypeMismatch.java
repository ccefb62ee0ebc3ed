package datahike.query;

/**
 * Thrown by a built-in given an argument of the wrong type (where Clojure would throw a
 * ClassCastException). Because the planner may run a predicate before a clause that would have
 * filtered such values out, the executor treats it as "no match" for that tuple.
 */
final class TypeMismatch extends RuntimeException {
  private static final long serialVersionUID = 1L;

  TypeMismatch(String message) {
    super(message, null, false, false);
  }
}
