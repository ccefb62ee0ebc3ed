package datahike.query;

import datahike.edn.Symbol;
import java.util.List;

/**
 * The {@code :find} specification and its elements.
 *
 * <pre>
 * find-spec    = find-rel | find-coll | find-tuple | find-scalar
 * find-rel     = find-elem+
 * find-coll    = [ find-elem '...' ]
 * find-scalar  = find-elem '.'
 * find-tuple   = [ find-elem+ ]
 * find-elem    = variable | pull-expr | aggregate
 * pull-expr    = ( 'pull' src-var? variable pattern )   ; pattern: a constant or an input symbol
 * aggregate    = ( fn-symbol fn-arg* variable )         ; also ( 'aggregate' ?fn variable )
 * </pre>
 */
sealed interface FindSpec {
  /** The elements, in order. */
  List<Elem> elements();

  /** A set of tuples. */
  record Rel(List<Elem> elements) implements FindSpec {}

  /** A collection of single values: {@code [?x ...]}. */
  record Coll(List<Elem> elements) implements FindSpec {}

  /** One tuple: {@code [?x ?y]}. */
  record Tuple(List<Elem> elements) implements FindSpec {}

  /** One value: {@code ?x .}. */
  record Scalar(List<Elem> elements) implements FindSpec {}

  /** One element of a find spec. */
  sealed interface Elem {
    /** The variable this element reads from the final relation. */
    Symbol var();
  }

  /** A plain variable. */
  record VarElem(Symbol var) implements Elem {}

  /**
   * A pull expression. {@code pattern} is the constant pattern, or null when {@code patternVar}
   * names an input holding it.
   */
  record PullElem(Symbol src, Symbol var, Object pattern, Symbol patternVar) implements Elem {}

  /**
   * An aggregate call. {@code fn} is the aggregate name (or null when {@code fnVar} names an input
   * holding the function); {@code args} are the constant arguments before the variable.
   */
  record AggElem(Symbol fn, Symbol fnVar, List<Term> args, Symbol var) implements Elem {}
}
