package datahike;

import static org.assertj.core.api.Assertions.assertThat;

import datahike.edn.Keyword;
import datahike.edn.Symbol;
import org.junit.jupiter.api.Test;

class KeywordTest {
  @Test
  void of_internsSoEqualKeywordsAreIdentical() {
    assertThat(Keyword.of("db/ident")).isSameAs(Keyword.of(":db/ident"));
    assertThat(Keyword.of("db", "ident")).isSameAs(Keyword.of("db/ident"));
  }

  @Test
  void of_splitsNamespaceAndName() {
    Keyword k = Keyword.of("person/name");
    assertThat(k.namespace()).isEqualTo("person");
    assertThat(k.name()).isEqualTo("name");
    assertThat(Keyword.of("name").namespace()).isNull();
    assertThat(Keyword.of("/").name()).isEqualTo("/");
  }

  @Test
  void byId_returnsTheKeywordOfAnId() {
    Keyword k = Keyword.of("some/attr");
    assertThat(Keyword.byId(k.id())).isSameAs(k);
  }

  @Test
  void compareTo_ordersUnqualifiedFirstThenNamespaceThenName() {
    assertThat(Keyword.of("z").compareTo(Keyword.of("a/a"))).isNegative();
    assertThat(Keyword.of("a/b").compareTo(Keyword.of("a/c"))).isNegative();
    assertThat(Keyword.of("b/a").compareTo(Keyword.of("a/z"))).isPositive();
  }

  @Test
  void reverse_togglesTheUnderscore() {
    assertThat(Keyword.of("person/friend").reverse()).isSameAs(Keyword.of("person/_friend"));
    assertThat(Keyword.of("person/_friend").isReverse()).isTrue();
  }

  @Test
  void symbol_knowsVariablesAndSources() {
    assertThat(Symbol.of("?e").isVariable()).isTrue();
    assertThat(Symbol.of("$").isSource()).isTrue();
    assertThat(Symbol.of("clojure.string/blank?").namespace()).isEqualTo("clojure.string");
  }
}
