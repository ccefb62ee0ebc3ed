package datahike.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import datahike.DatahikeException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The :find production, as a table: find form → parse (record toString). */
class ParseFindTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          [?e]                    | Rel[elements=[VarElem[var=?e]]]
          [?e ?n]                 | Rel[elements=[VarElem[var=?e], VarElem[var=?n]]]
          [?e .]                  | Scalar[elements=[VarElem[var=?e]]]
          [[?e ...]]              | Coll[elements=[VarElem[var=?e]]]
          [[?e ?n]]               | Tuple[elements=[VarElem[var=?e], VarElem[var=?n]]]
          [(count ?e)]            | Rel[elements=[AggElem[fn=count, fnVar=null, args=[], var=?e]]]
          [(min 2 ?e)]            | Rel[elements=[AggElem[fn=min, fnVar=null, args=[2], var=?e]]]
          [[(count ?e) ...]]      | Coll[elements=[AggElem[fn=count, fnVar=null, args=[], var=?e]]]
          [(aggregate ?f ?e)]     | Rel[elements=[AggElem[fn=null, fnVar=?f, args=[], var=?e]]]
          [(pull ?e [:name])]     | Rel[elements=[PullElem[src=null, var=?e, pattern=[:name], patternVar=null]]]
          [(pull $1 ?e [*])]      | Rel[elements=[PullElem[src=$1, var=?e, pattern=[*], patternVar=null]]]
          [(pull ?e ?p) .]        | Scalar[elements=[PullElem[src=null, var=?e, pattern=null, patternVar=?p]]]
          [(pull ?e p)]           | Rel[elements=[PullElem[src=null, var=?e, pattern=null, patternVar=p]]]
          """)
  void parses(String find, String expected) {
    assertThat(QueryParser.parseFind((List<?>) Q.edn(find)).toString()).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          [:find :where [?e :a]]                      | Query should have a :find clause
          [:find 1 :where [?e :a]]                    | Cannot parse :find
          [:find (count) :where [?e :a]]              | aggregate should end with a variable
          [:find ?e :keys a b :where [?e :a]]         | Count of :keys must match count of :find
          [:find ?e . :keys a :where [?e :a]]         | does not work with single-scalar
          """)
  void rejects(String query, String message) {
    assertThatThrownBy(() -> QueryParser.parseUncached(Q.edn(query)))
        .isInstanceOf(DatahikeException.class)
        .hasMessageContaining(message);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          [:find ?e :keys e :where [?e :a]]           | :keys | [e]
          [:find ?e :syms e :where [?e :a]]           | :syms | [e]
          {:find [?e] :strs [e] :where [[?e :a]]}     | :strs | [e]
          """)
  void returnMaps(String query, String kind, String names) {
    ParsedQuery q = QueryParser.parseUncached(Q.edn(query));
    assertThat(q.returnKind().toString()).isEqualTo(kind);
    assertThat(q.returnNames().toString()).isEqualTo(names);
  }
}
