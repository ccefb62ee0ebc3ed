package datahike.store;

import static org.assertj.core.api.Assertions.assertThat;

import datahike.edn.Keyword;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The store contract on the memory backend; hooks reach into the shared registry. */
class StoreMemoryTest extends AbstractStoreContractTest {

  @Override
  protected Map<Keyword, Object> newConfig() {
    Map<Keyword, Object> m = new HashMap<>();
    m.put(Stores.BACKEND, Keyword.of("memory"));
    m.put(Keyword.of("id"), "test-" + UUID.randomUUID());
    return m;
  }

  private static StoreMemory.Data data(Map<Keyword, Object> config) {
    return StoreMemory.REGISTRY.get(config.get(Keyword.of("id")).toString());
  }

  @Override
  protected byte[] rawBlob(Map<Keyword, Object> config, String key) {
    return data(config).blobs.get(key).clone();
  }

  @Override
  protected void rawBlob(Map<Keyword, Object> config, String key, byte[] framed) {
    data(config).blobs.put(key, framed.clone());
  }

  @Override
  protected void flipLogByte(Map<Keyword, Object> config, long seq, int offset) {
    StoreMemory.Data d = data(config);
    synchronized (d.groups) {
      for (byte[] g : d.groups) {
        long first = LogCodec.firstSeq(g, 0);
        if (seq >= first && seq < first + LogCodec.count(g, 0)) {
          g[offset] ^= 0x10;
          return;
        }
      }
    }
    throw new AssertionError("no group holds " + seq);
  }

  @Override
  protected void tearLogTail(Map<Keyword, Object> config, int n) {
    StoreMemory.Data d = data(config);
    synchronized (d.groups) {
      int last = d.groups.size() - 1;
      byte[] g = d.groups.get(last);
      d.groups.set(last, Arrays.copyOf(g, g.length - n));
    }
  }

  @Override
  protected void appendLogGarbage(Map<Keyword, Object> config, byte[] bytes) {
    StoreMemory.Data d = data(config);
    synchronized (d.groups) {
      if (d.groups.size() == d.groupSeqs.length) {
        d.groupSeqs = Arrays.copyOf(d.groupSeqs, d.groupSeqs.length * 2);
      }
      d.groupSeqs[d.groups.size()] = d.nextSeq;
      d.groups.add(bytes.clone());
    }
  }

  @Test
  void open_memAliasAndStringBackend_sameStore() {
    String id = "alias-" + UUID.randomUUID();
    Store a = open(Map.of(Stores.BACKEND, Keyword.of("mem"), Keyword.of("id"), id));
    Store b = open(Map.of(Stores.BACKEND, ":memory", Keyword.of("id"), id));
    a.put("k", bytes("v"));
    assertThat(str(b.get("k"))).isEqualTo("v");
    Stores.delete(Map.of(Stores.BACKEND, "memory", Keyword.of("id"), id));
    assertThat(Stores.exists(Map.of(Stores.BACKEND, "mem", Keyword.of("id"), id))).isFalse();
  }

  @Test
  void createThenConnect_sameIdFindsData() {
    Map<Keyword, Object> cfg = newConfig();
    Store created = Stores.open(cfg);
    created.casHead(null, bytes("db"));
    created.close();
    assertThat(Stores.exists(cfg)).isTrue();
    assertThat(str(open(cfg).readHead())).isEqualTo("db");
    assertThat(open(newConfig()).readHead()).isNull();
    assertThat(open(cfg).readLog(1)).isEqualTo(List.of());
  }
}
