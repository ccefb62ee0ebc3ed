package datahike.query;

import datahike.edn.Symbol;
import java.util.List;

/**
 * A where clause.
 *
 * <pre>
 * clause     = pattern | pred | fn | rule-call | not | not-join | or | or-join
 * pattern    = [ src-var? term+ ]                        ; e a v tx added
 * pred       = [ ( fn-symbol fn-arg* ) ]
 * fn         = [ ( fn-symbol fn-arg* ) binding ]
 * rule-call  = ( src-var? rule-name term+ )
 * not        = ( src-var? 'not' clause+ )
 * not-join   = ( src-var? 'not-join' [ variable+ ] clause+ )
 * or         = ( src-var? 'or' (clause | and)+ )
 * or-join    = ( src-var? 'or-join' [ ([ variable+ ])? variable* ] (clause | and)+ )
 * and        = ( 'and' clause+ )
 * </pre>
 *
 * Each record keeps its source form for error messages.
 */
sealed interface Clause {
  /** The clause as written. */
  Object form();

  /** A data pattern; {@code src} is null for the default source. */
  record Pattern(Symbol src, List<Term> terms, Object form) implements Clause {}

  /** A predicate call; {@code fn} is a symbol or a {@link Term.Var} holding a function. */
  record Pred(Term fn, List<Term> args, Object form) implements Clause {}

  /** A function call whose result is bound by {@code binding}. */
  record Fn(Term fn, List<Term> args, Binding binding, Object form) implements Clause {}

  /** A call of a rule. */
  record RuleCall(Symbol src, Symbol name, List<Term> args, Object form) implements Clause {}

  /**
   * {@code not} ({@code joinVars} null: the join variables are those bound before the clause) or
   * {@code not-join}.
   */
  record Not(Symbol src, List<Symbol> joinVars, List<Clause> body, Object form) implements Clause {}

  /**
   * {@code or} / {@code or-join}: {@code required} must be bound before it runs, {@code free} may
   * be bound by it. Each branch is a conjunction.
   */
  record Or(
      Symbol src,
      List<Symbol> required,
      List<Symbol> free,
      List<List<Clause>> branches,
      Object form)
      implements Clause {}
}
