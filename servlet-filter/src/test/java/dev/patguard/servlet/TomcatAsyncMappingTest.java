package dev.patguard.servlet;

import dev.patguard.servlet.support.ServletContainer;
import dev.patguard.servlet.support.TomcatContainer;

class TomcatAsyncMappingTest extends AsyncMappingScenarios {
  @Override
  ServletContainer.Factory factory() {
    return TomcatContainer.FACTORY;
  }
}
