package datahike.bench;

class DatahikeHarnessTest extends AbstractHarnessTest {
  @Override
  Harness create() {
    return new DatahikeHarness();
  }
}
