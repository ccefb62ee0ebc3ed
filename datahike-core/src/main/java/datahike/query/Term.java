package datahike.query;

import datahike.edn.Symbol;

/**
 * One position of a clause.
 *
 * <pre>
 * term     = variable | blank | source | constant
 * variable = symbol starting with '?'
 * blank    = '_'
 * source   = symbol starting with '$'
 * constant = any other value (keywords, numbers, strings, lookup refs, plain symbols ...)
 * </pre>
 */
sealed interface Term {
  /** A query variable such as {@code ?e}. */
  record Var(Symbol symbol) implements Term {
    @Override
    public String toString() {
      return symbol.toString();
    }
  }

  /** A constant value. */
  record Const(Object value) implements Term {
    @Override
    public String toString() {
      return Forms.print(value);
    }
  }

  /** The placeholder {@code _}. */
  record Blank() implements Term {
    @Override
    public String toString() {
      return "_";
    }
  }

  /** A data source symbol such as {@code $} or {@code $db}, as a function argument. */
  record Src(Symbol symbol) implements Term {
    @Override
    public String toString() {
      return symbol.toString();
    }
  }

  Blank BLANK = new Blank();

  /** The term a form denotes in a clause position. */
  static Term of(Object form) {
    if (form instanceof Symbol s) {
      if (s.isVariable()) {
        return new Var(s);
      }
      if (s == Forms.BLANK) {
        return BLANK;
      }
      if (s.isSource()) {
        return new Src(s);
      }
    }
    return new Const(Forms.unquote(form));
  }

  /** The variable of this term, or null. */
  default Symbol var() {
    return this instanceof Var v ? v.symbol() : null;
  }
}
