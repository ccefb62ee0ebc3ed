package datahike.query;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The :in production and binding forms, as a table. */
class ParseInTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          [:find ?e :where [?e :a]]               | [InSource[symbol=$]]
          [:find ?e :in $ :where [?e :a]]         | [InSource[symbol=$]]
          [:find ?e :in $1 $2 %]                  | [InSource[symbol=$1], InSource[symbol=$2], InRules[]]
          [:find ?e :in ?e]                       | [InBinding[binding=Scalar[var=?e]]]
          [:find ?e :in _]                        | [InBinding[binding=Ignore[]]]
          [:find ?e :in p]                        | [InBinding[binding=Scalar[var=p]]]
          [:find ?e :in [?e ...]]                 | [InBinding[binding=Coll[element=Scalar[var=?e]]]]
          [:find ?e :in [?e _ ?f]]                | [InBinding[binding=Tuple[elements=[Scalar[var=?e], Ignore[], Scalar[var=?f]]]]]
          [:find ?e :in [[?e ?f]]]                | [InBinding[binding=Coll[element=Tuple[elements=[Scalar[var=?e], Scalar[var=?f]]]]]]
          [:find ?e :in [[?e ?f] ...]]            | [InBinding[binding=Coll[element=Tuple[elements=[Scalar[var=?e], Scalar[var=?f]]]]]]
          [:find ?e :in [[?e [?f ...]]]]          | [InBinding[binding=Coll[element=Tuple[elements=[Scalar[var=?e], Coll[element=Scalar[var=?f]]]]]]]
          """)
  void parses(String query, String expected) {
    assertThat(QueryParser.parseUncached(Q.edn(query)).in().toString()).isEqualTo(expected);
  }
}
