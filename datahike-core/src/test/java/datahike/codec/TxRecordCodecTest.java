package datahike.codec;

import static org.assertj.core.api.Assertions.assertThat;

import datahike.Datom;
import datahike.edn.Keyword;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TxRecordCodecTest {
  @Test
  void roundTrip_empty() {
    TxRecord rec = new TxRecord(536870913L, 0L, List.of(), List.of());
    byte[] b = TxRecordCodec.encode(rec);
    assertThat(b).hasSize(1 + 5 + 1 + 1 + 1);
    assertThat(TxRecordCodec.decode(b)).isEqualTo(rec);
  }

  @Test
  void roundTrip_keywordAndIdAttributes_distinguished() {
    long tx = 536870913L;
    Keyword name = Keyword.of("name");
    List<Datom> datoms =
        List.of(
            new Datom(1, Datom.attrCode(name), "Ivan", tx, true),
            new Datom(1, 10, "Ivan", tx, true),
            new Datom(1, 0, Keyword.of("name"), tx, false),
            new Datom(2, Datom.attrCode(name), name, tx, true));
    List<Datom> purged = List.of(new Datom(7, Datom.attrCode(name), "Old", tx - 5, true));
    TxRecord back = TxRecordCodec.decode(TxRecordCodec.encode(new TxRecord(tx, 2, datoms, purged)));
    assertThat(back.tx()).isEqualTo(tx);
    assertThat(back.maxEid()).isEqualTo(2);
    CodecTestData.assertSameDatoms(back.datoms(), datoms, "datoms");
    CodecTestData.assertSameDatoms(back.purged(), purged, "purged");
    assertThat(back.datoms().get(0).attr()).isSameAs(name);
    assertThat(back.datoms().get(1).attr()).isEqualTo(10L);
  }

  @Test
  void roundTrip_keywordNamedOncePerRecord() {
    long tx = 536870913L;
    int a = Datom.attrCode(Keyword.of("codec.test/a-rather-long-attribute-name"));
    Datom[] ds = new Datom[100];
    for (int i = 0; i < ds.length; i++) {
      ds[i] = new Datom(1000 + i, a, (long) i % 50, tx, true);
    }
    byte[] b = TxRecordCodec.encode(new TxRecord(tx, 1099, List.of(ds), List.of()));
    // Name once (~40 bytes), then 3 bytes per datom: header, e delta, small long.
    assertThat(b.length).isLessThan(60 + 3 * ds.length);
    CodecTestData.assertSameDatoms(TxRecordCodec.decode(b).datoms(), List.of(ds), "datoms");
  }

  @Test
  void roundTrip_randomRecords() {
    for (long seed = 1; seed <= 2000; seed++) {
      Random r = new Random(seed);
      TxRecord rec = CodecTestData.randomRecord(r);
      String msg = "seed " + seed;
      TxRecord back = TxRecordCodec.decode(TxRecordCodec.encode(rec));
      assertThat(back.tx()).as(msg).isEqualTo(rec.tx());
      assertThat(back.maxEid()).as(msg).isEqualTo(rec.maxEid());
      CodecTestData.assertSameDatoms(back.datoms(), rec.datoms(), msg);
      CodecTestData.assertSameDatoms(back.purged(), rec.purged(), msg);
    }
  }
}
