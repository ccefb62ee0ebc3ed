package datahike.schema;

import static org.assertj.core.api.Assertions.assertThat;

import datahike.edn.Keyword;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The schema's attribute-by-code table answers as a map would, for keyword and entity codes. */
class AttributeTableTest {
  @Test
  void answersLikeAMapThroughGrowthAndReplacement() {
    AttributeTable table = new AttributeTable();
    Map<Integer, Attribute> model = new HashMap<>();
    Random r = new Random(42);
    for (int i = 0; i < 5_000; i++) {
      int code = r.nextBoolean() ? -(1 + r.nextInt(3_000)) : 1 + r.nextInt(1 << 30);
      Attribute a = attribute("a" + i);
      table.put(code, a);
      model.put(code, a);
    }
    for (Map.Entry<Integer, Attribute> e : model.entrySet()) {
      assertThat(table.get(e.getKey())).isSameAs(e.getValue());
    }
    for (int i = 0; i < 5_000; i++) {
      int code = r.nextInt();
      if (code != 0) assertThat(table.get(code)).isSameAs(model.get(code));
    }
  }

  @Test
  void anEmptyTableHasNothing() {
    assertThat(new AttributeTable().get(-1)).isNull();
    assertThat(new AttributeTable().get(536870913)).isNull();
  }

  private static Attribute attribute(String name) {
    return new Attribute(Keyword.of(name), 0, null, false, null, false, false, false, null, null, null);
  }
}
