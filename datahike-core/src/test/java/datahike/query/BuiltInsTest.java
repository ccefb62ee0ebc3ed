package datahike.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import datahike.edn.Symbol;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Built-in functions with Clojure semantics, as a table: call → result (EDN). */
class BuiltInsTest {
  static Object call(String form) {
    List<?> l = (List<?>) Q.edn(form);
    QueryFn f = QueryFunctions.resolve((Symbol) l.get(0));
    assertThat(f).as("built-in %s", l.get(0)).isNotNull();
    return f.invoke(l.subList(1, l.size()).toArray());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\'',
      textBlock =
          """
          (+ 1 2 3)                        | 6
          (+ 1 2.5)                        | 3.5
          (+ 1 2N)                         | 3N
          (- 10 3 2)                       | 5
          (- 5)                            | -5
          (* 2 3.0)                        | 6.0
          (/ 12 4)                         | 3
          (/ 7.0 2)                        | 3.5
          (/ 7 2)                          | 3.5
          (quot 7 2)                       | 3
          (quot -7 2)                      | -3
          (rem -7 2)                       | -1
          (mod -7 2)                       | 1
          (inc 41)                         | 42
          (dec 43)                         | 42
          (max 1 5 3)                      | 5
          (min 1 5 3)                      | 1
          (= 1 1)                          | true
          (= 1 1.0)                        | false
          (= 1 1N)                         | true
          (== 1 1.0)                       | true
          (= [1 2] (1 2))                  | true
          (not= 1 2)                       | true
          (!= 1 1)                         | false
          (< 1 2 3)                        | true
          (< 1 3 2)                        | false
          (< 1 2.5)                        | true
          (<= 2 2 3)                       | true
          (> "b" "a")                      | true
          (>= :b :a)                       | true
          (< false true)                   | true
          (< [1 2] [1 3])                  | true
          (< [2] [1 1])                    | true
          (compare 1 2)                    | -1
          (compare "b" "a")                | 1
          (zero? 0)                        | true
          (pos? -1)                        | false
          (neg? -1)                        | true
          (even? 4)                        | true
          (odd? 4)                         | false
          (true? true)                     | true
          (false? nil)                     | false
          (nil? nil)                       | true
          (some? false)                    | true
          (not nil)                        | true
          (and 1 nil 2)                    | nil
          (and 1 2)                        | 2
          (or nil false 3)                 | 3
          (or nil false)                   | false
          (identity :x)                    | :x
          (keyword "a")                    | :a
          (keyword "ns" "n")               | :ns/n
          (name :a/b)                      | "b"
          (namespace :a/b)                 | "a"
          (namespace :b)                   | nil
          (str "a" 1 :k nil 2.5)           | "a1:k2.5"
          (subs "hello" 1 3)               | "el"
          (count "abc")                    | 3
          (count [1 2])                    | 2
          (count nil)                      | 0
          (vector 1 2)                     | [1 2]
          (set [1 2 2])                    | #{1 2}
          (hash-map :a 1)                  | {:a 1}
          (range 3)                        | [0 1 2]
          (range 1 10 4)                   | [1 5 9]
          (not-empty [])                   | nil
          (empty? [])                      | true
          (contains? #{1 3} 3)             | true
          (contains? {:a nil} :a)          | true
          (contains? [5 6] 1)              | true
          (get {:a 1} :a)                  | 1
          (get {:a 1} :b 0)                | 0
          (get [5 6] 1)                    | 6
          (pr-str "a" 1)                   | "\\"a\\" 1"
          (print-str "a" 1)                | "a 1"
          (prn-str :k)                     | ":k\\n"
          (re-find "a+" "baac")           | "aa"
          (re-find "(a)(b)" "xaby")       | ["ab" "a" "b"]
          (re-matches "a+b" "aab")        | "aab"
          (re-matches "a+b" "xaab")       | nil
          (re-seq "a+" "abaac")           | ["a" "aa"]
          (clojure.string/blank? " ")      | true
          (clojure.string/includes? "abc" "b") | true
          (clojure.string/starts-with? "abc" "ab") | true
          (clojure.string/ends-with? "abc" "ab") | false
          (clojure.string/upper-case "ab") | "AB"
          (clojure.string/lower-case "AB") | "ab"
          (clojure.string/trim " a ")      | "a"
          (clojure.string/join "," [1 2])  | "1,2"
          (clojure.string/split "a,b" ",") | ["a" "b"]
          (tuple 1 :a)                     | [1 :a]
          (untuple [1 2])                  | [1 2]
          (ground 5)                       | 5
          (-differ? 1 2 1 2)               | false
          (-differ? 1 2 1 3)               | true
          """)
  void evaluates(String form, String expected) {
    Object r = call(form);
    Object e = Q.edn(expected);
    assertThat(QueryCasesTest.norm(r)).isEqualTo(QueryCasesTest.norm(e));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          (+ 1 "a")
          (< 1 "a")
          (even? :a)
          (name 1)
          """)
  void typeErrorsAreMismatches(String form) {
    assertThatThrownBy(() -> call(form)).isInstanceOf(TypeMismatch.class);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          (sum ?x)            | [1 2 3]         | 6
          (avg ?x)            | [1.5 2.5]       | 2.0
          (median ?x)         | [3 1 2]         | 2
          (median ?x)         | [1 2 3 4]       | 2.5
          (variance ?x)       | [10 15 20 35 75] | 554
          (count ?x)          | [1 1 2]         | 3
          (count-distinct ?x) | [1 1 2]         | 2
          (min ?x)            | ["b" "a"]       | "a"
          (max ?x)            | [:a-/b :a/b]    | :a-/b
          (min 2 ?x)          | [3 1 2]         | [1 2]
          (max 2 ?x)          | [3 1 2]         | [2 3]
          (distinct ?x)       | [1 1 2]         | #{1 2}
          """)
  void aggregates(String form, String values, String expected) {
    List<?> l = (List<?>) Q.edn(form);
    AggregateFn f = Aggregates.resolve((Symbol) l.get(0));
    List<Object> args = new java.util.ArrayList<>(l.subList(1, l.size() - 1));
    @SuppressWarnings("unchecked")
    List<Object> vs = (List<Object>) Q.edn(values);
    assertThat(QueryCasesTest.norm(f.aggregate(args, vs)))
        .isEqualTo(QueryCasesTest.norm(Q.edn(expected)));
  }
}
