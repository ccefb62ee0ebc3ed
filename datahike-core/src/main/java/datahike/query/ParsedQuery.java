package datahike.query;

import datahike.edn.Keyword;
import datahike.edn.Symbol;
import java.util.List;

/**
 * A parsed query: what {@link QueryParser} makes of a query form, cached by form.
 *
 * <pre>
 * query       = [ :find find-spec return-map? with? in? where? ] | { :find ... :in ... }
 * return-map  = (:keys | :syms | :strs) symbol+
 * with        = :with variable+
 * in          = :in (src-var | '%' | binding)+        ; default [$]
 * where       = :where clause+
 * </pre>
 *
 * @param find the find spec
 * @param returnKind {@code :keys}, {@code :syms}, {@code :strs}, or null
 * @param returnNames the names of the return map keys, or null
 * @param with the {@code :with} variables
 * @param in the input declarations
 * @param where the where clauses
 * @param offset {@code :offset} from a map-form query, or -1
 * @param limit {@code :limit} from a map-form query, or -1
 * @param timeoutMs {@code :timeout} from a map-form query, or -1
 * @param form the query as given
 */
record ParsedQuery(
    FindSpec find,
    Keyword returnKind,
    List<Symbol> returnNames,
    List<Symbol> with,
    List<In> in,
    List<Clause> where,
    long offset,
    long limit,
    long timeoutMs,
    Object form) {

  /** One {@code :in} declaration. */
  sealed interface In {}

  /** A data source, {@code $} or {@code $name}. */
  record InSource(Symbol symbol) implements In {}

  /** The rules input {@code %}. */
  record InRules() implements In {}

  /** Any other binding. */
  record InBinding(Binding binding) implements In {}
}
