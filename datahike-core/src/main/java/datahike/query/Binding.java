package datahike.query;

import datahike.edn.Symbol;
import java.util.List;

/**
 * A binding form, in {@code :in} and on the right of a function clause.
 *
 * <pre>
 * binding     = bind-scalar | bind-tuple | bind-coll | bind-rel | '_'
 * bind-scalar = variable
 * bind-tuple  = [ binding+ ]
 * bind-coll   = [ binding '...' ]
 * bind-rel    = [ [ binding+ ] ]        ; a collection of tuples
 * </pre>
 */
sealed interface Binding {
  /** Binds the value to one variable. */
  record Scalar(Symbol var) implements Binding {}

  /** Ignores the value ({@code _}). */
  record Ignore() implements Binding {}

  /** Destructures a sequential value position by position. */
  record Tuple(List<Binding> elements) implements Binding {}

  /** Binds each element of a collection. */
  record Coll(Binding element) implements Binding {}

  /** The variables this binding binds, in order, without duplicates. */
  static void collectVars(Binding b, List<Symbol> out) {
    if (b instanceof Scalar s) {
      if (!out.contains(s.var())) {
        out.add(s.var());
      }
    } else if (b instanceof Tuple t) {
      for (Binding e : t.elements()) {
        collectVars(e, out);
      }
    } else if (b instanceof Coll c) {
      collectVars(c.element(), out);
    }
  }
}
