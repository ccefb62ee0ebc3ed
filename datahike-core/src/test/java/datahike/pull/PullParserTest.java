package datahike.pull;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import datahike.DatahikeException;
import datahike.edn.Keyword;
import datahike.pull.PullPattern.Attr;
import datahike.pull.PullPattern.Nested;
import datahike.pull.PullPattern.Pattern;
import datahike.pull.PullPattern.Recursive;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The pull pattern grammar as tables (after datalog-parser's {@code pull_test.cljc}). */
class PullParserTest {

  static Stream<Arguments> patterns() {
    Pattern star = Pattern.WILDCARD;
    return Stream.of(
        row("[:foo]", p(a("foo"))),
        row("[:db/id :foo/bar]", p(a("db/id"), a("foo/bar"))),
        row("(:foo)", p(a("foo"))),
        row("#{:foo}", p(a("foo"))),
        row("[\"foo\"]", p(a("foo"))),
        row("[]", p()),
        row("[*]", star),
        row("[:*]", star),
        row("[\"*\"]", star),
        row("[:foo * :bar]", wild(a("foo"), a("bar"))),
        row("[:_child]", p(a("_child"))),
        // attributes with options
        row("[(:foo :limit 1)]", p(a("foo").withLimit(1))),
        row("[[:foo :limit nil]]", p(a("foo").withLimit(PullPattern.NO_LIMIT))),
        row("[(:foo :default \"bar\")]", p(a("foo").withDefault("bar"))),
        row("[[:foo :default nil]]", p(a("foo").withDefault(null))),
        row("[(:foo :as \"bar\")]", p(a("foo").withAs("bar"))),
        row("[[:foo :as nil]]", p(a("foo"))),
        row(
            "[[:foo :as :f :limit 2 :default 0]]",
            p(a("foo").withAs(kw("f")).withLimit(2).withDefault(0L))),
        // legacy expressions
        row("[(limit :foo 1)]", p(a("foo").withLimit(1))),
        row("[[\"limit\" :foo 1]]", p(a("foo").withLimit(1))),
        row("[(limit :foo nil)]", p(a("foo").withLimit(PullPattern.NO_LIMIT))),
        row("[[:limit :foo 3]]", p(a("foo").withLimit(3))),
        row("[(default :foo \"bar\")]", p(a("foo").withDefault("bar"))),
        row("[(default :_foo 1)]", p(a("_foo").withDefault(1L))),
        // map specs
        row("[{:foo [*]}]", p(a("foo").withJoin(new Nested(star)))),
        row("[{:foo [:bar :me]}]", p(a("foo").withJoin(new Nested(p(a("bar"), a("me")))))),
        row("[{:foo ...}]", p(a("foo").withJoin(new Recursive(null)))),
        row("[{:foo \"...\"}]", p(a("foo").withJoin(new Recursive(null)))),
        row("[{:foo 3}]", p(a("foo").withJoin(new Recursive(3L)))),
        row("[{:foo 1.5}]", p(a("foo").withJoin(new Recursive(null)))),
        row("[{(limit :foo 1) [*]}]", p(a("foo").withLimit(1).withJoin(new Nested(star)))),
        row("[{(:foo :limit 1) [*]}]", p(a("foo").withLimit(1).withJoin(new Nested(star)))),
        row("[{[:foo :as :f] [*]}]", p(a("foo").withAs(kw("f")).withJoin(new Nested(star)))),
        row(
            "[{:a 1 :b 2}]",
            p(a("a").withJoin(new Recursive(1L)), a("b").withJoin(new Recursive(2L)))),
        row("[{:foo #{:bar}}]", p(a("foo").withJoin(new Nested(p(a("bar")))))),
        row("[{}]", p()),
        // later specs for the same name win; map specs come last
        row("[:foo (:foo :limit 1)]", p(a("foo").withLimit(1))),
        row("[{:foo [:x]} :foo]", p(a("foo").withJoin(new Nested(p(a("x")))))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("patterns")
  void parse_table(String form, Pattern expected) {
    assertThat(PullParser.parsePull(TestEdn.read(form))).isEqualTo(expected);
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        row("1", "Cannot parse pull pattern, expected: [attr-spec+]"),
        row(":foo", "Cannot parse pull pattern"),
        row("{:foo [:bar]}", "Cannot parse pull pattern"),
        row("nil", "Cannot parse pull pattern"),
        row("[1]", "Cannot parse attr-spec"),
        row("[?x]", "Cannot parse attr-spec"),
        row("[[:foo :bar 1]]", "Cannot parse attr-spec"),
        row("[[:foo :limit]]", "Cannot parse attr-spec"),
        row("[(limit :foo \"bar\")]", "Expected [\"limit\" attr-name (positive-number | nil)]"),
        row("[(limit :foo 0)]", "Expected [\"limit\""),
        row("[(limit 1 2)]", "Expected [\"limit\""),
        row("[(default 1 :bar)]", "Expected [\"default\" attr-name any-value]"),
        row("[{:foo 0}]", "Expected (pattern | recursion-limit)"),
        row("[{:foo :bar}]", "Expected (pattern | recursion-limit)"),
        row("[{1 [:bar]}]", "Expected (attr-name | limit-expr)"),
        row("[{(limit :foo \"bar\") [*]}]", "Expected [\"limit\""),
        row("[[:foo :limit \"x\"]]", "Expected :limit"),
        row("[[:foo :xform no.such/fn]]", "Unknown :xform function no.such/fn"),
        row("[{:foo [1]}]", "Cannot parse attr-spec"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void parse_errorTable(String form, String message) {
    assertThatThrownBy(() -> PullParser.parsePull(TestEdn.read(form)))
        .isInstanceOfSatisfying(
            DatahikeException.class,
            e -> assertThat(e.code()).isEqualTo(Keyword.of("pull/pattern")))
        .hasMessageContaining(message);
  }

  @Test
  void parse_cachesByForm() {
    Object form = TestEdn.read("[:name {:friend ...}]");
    Pattern first = Pull.parse(form);
    assertThat(Pull.parse(TestEdn.read("[:name {:friend ...}]"))).isSameAs(first);
    assertThat(Pull.parse(first)).isSameAs(first);
  }

  @Test
  void parse_reverseOnlyKeepsReverseSpecs() {
    Pattern p = PullParser.parsePull(TestEdn.read("[* :name :_child {:_father [:name]}]"));
    assertThat(p.reverseOnly().wildcard()).isFalse();
    assertThat(p.reverseOnly().attrs().keySet()).containsExactly(kw("_child"), kw("_father"));
    assertThat(PullParser.parsePull(TestEdn.read("[:name]")).reverseOnly()).isNull();
  }

  @Test
  void parse_listWithNilLimit() {
    List<Object> form = new ArrayList<>();
    form.add(Arrays.asList(kw("foo"), kw("limit"), null));
    assertThat(PullParser.parsePull(form)).isEqualTo(p(a("foo").withLimit(PullPattern.NO_LIMIT)));
  }

  private static Arguments row(String form, Object expected) {
    return Arguments.of(form, expected);
  }

  private static Attr a(String name) {
    return Attr.named(kw(name));
  }

  private static Pattern p(Attr... attrs) {
    return Pattern.of(false, List.of(attrs));
  }

  private static Pattern wild(Attr... attrs) {
    return Pattern.of(true, List.of(attrs));
  }

  private static Keyword kw(String name) {
    return Keyword.of(name);
  }
}
