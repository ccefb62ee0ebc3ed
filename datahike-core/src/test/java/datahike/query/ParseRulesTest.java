package datahike.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import datahike.DatahikeException;
import datahike.edn.Symbol;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rules production, as a table: rules → rule name, branch count, required and free vars. */
class ParseRulesTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          [[(r ?a ?b) [?a :f ?b]]]                          | r | 1 | [] | [?a, ?b]
          [[(r ?a ?b) [?a :f ?b]] [(r ?a ?b) (r ?b ?a)]]    | r | 2 | [] | [?a, ?b]
          [[(r [?a] ?b) [?a :f ?b]]]                        | r | 1 | [?a] | [?b]
          [[(r [?a ?c] ?b) [?a :f ?b] [?b :g ?c]]]          | r | 1 | [?a, ?c] | [?b]
          """)
  void parses(String rules, String name, int branches, String required, String free) {
    RuleSet rs = RuleSet.parse(Q.edn(rules));
    var bs = rs.branches(Symbol.of(name));
    assertThat(bs).hasSize(branches);
    assertThat(bs.get(0).required().toString()).isEqualTo(required);
    assertThat(bs.get(0).vars().toString()).isEqualTo(free);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          :r                                        | Cannot parse rules
          [[r [?a :f ?b]]]                          | Cannot parse rule
          [[(?r ?a) [?a :f ?b]]]                    | Cannot parse rule head
          [[(r ?a) [?a :f]] [(r ?a ?b) [?a :f ?b]]] | different arity
          """)
  void rejects(String rules, String message) {
    assertThatThrownBy(() -> RuleSet.parse(Q.edn(rules)))
        .isInstanceOf(DatahikeException.class)
        .hasMessageContaining(message);
  }
}
