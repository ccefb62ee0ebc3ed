package datahike.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import datahike.DatahikeException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The where clause productions, as a table: clause → parse (kind and parts). */
class ParseWhereTest {
  static String describe(Clause c) {
    if (c instanceof Clause.Pattern p) {
      return "pattern " + p.src() + " " + p.terms();
    }
    if (c instanceof Clause.Pred p) {
      return "pred " + p.fn() + " " + p.args();
    }
    if (c instanceof Clause.Fn f) {
      return "fn " + f.fn() + " " + f.args() + " " + Bindings.print(f.binding());
    }
    if (c instanceof Clause.RuleCall r) {
      return "rule " + r.src() + " " + r.name() + " " + r.args();
    }
    if (c instanceof Clause.Not n) {
      return "not " + n.src() + " " + n.joinVars() + " " + n.body().size();
    }
    Clause.Or o = (Clause.Or) c;
    return "or " + o.src() + " " + o.required() + " " + o.free() + " " + o.branches().size();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          [?e :name "Ivan"]                  | pattern null [?e, :name, "Ivan"]
          [$db ?e :name _]                   | pattern $db [?e, :name, _]
          [?e ?a ?v ?tx false]               | pattern null [?e, ?a, ?v, ?tx, false]
          [[:name "x"] :age ?a]              | pattern null [[:name "x"], :age, ?a]
          [(< ?a 10)]                        | pred < [?a, 10]
          [(?f ?a)]                          | pred ?f [?a]
          [(get-else $ ?e :h 0) ?h]          | fn get-else [$, ?e, :h, 0] ?h
          [(f ?a) [?x ?y]]                   | fn f [?a] [?x ?y]
          [(f ?a) [?x ...]]                  | fn f [?a] [?x ...]
          [(f ?a) [[?x _]]]                  | fn f [?a] [[?x _] ...]
          [(q (quote [:find ?x]) $) ?r]      | fn q [[:find ?x], $] ?r
          (follow ?a ?b)                     | rule null follow [?a, ?b]
          ($src follow ?a "c")               | rule $src follow [?a, "c"]
          (not [?e :a 1])                    | not null null 1
          (not-join [?e] [?e :a ?x] [?x :b]) | not null [?e] 2
          ($2 not [?e :a 1])                 | not $2 null 1
          (or [?e :a 1] [?e :b 2])           | or null [] [?e] 2
          (or-join [?e] [?e :a ?x] (and [?e :b ?y] [?y :c]))  | or null [] [?e] 2
          (or-join [[?e] ?f] [?e :a ?f] [?f :b ?e])           | or null [?e] [?f] 2
          """)
  void parses(String clause, String expected) {
    assertThat(describe(ClauseParser.parse(Q.edn(clause)))).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          :a                                 | Cannot parse clause
          []                                 | Cannot parse clause
          [?e :a ?v ?t ?op ?x]               | Cannot parse clause
          (or [?e :name _] [?e :age ?a])     | Join variable not declared inside clauses: [?a]
          (not-join [?x] [?e :a 1])          | Join variables not declared inside clauses: [?x]
          (rule ?x ["Alice"])                | Bad format for value in pattern
          (and [?e :a])                      | Cannot parse clause
          """)
  void rejects(String clause, String message) {
    assertThatThrownBy(() -> ClauseParser.parse(Q.edn(clause)))
        .isInstanceOf(DatahikeException.class)
        .hasMessageContaining(message);
  }
}
