package dev.patguard.servlet;

import dev.patguard.servlet.support.ServletContainer;
import dev.patguard.servlet.support.TomcatContainer;

class TomcatFilterTest extends FilterScenarios {
  @Override
  ServletContainer.Factory factory() {
    return TomcatContainer.FACTORY;
  }
}
