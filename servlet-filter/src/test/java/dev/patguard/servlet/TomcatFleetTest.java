package dev.patguard.servlet;

import dev.patguard.servlet.support.ServletContainer;
import dev.patguard.servlet.support.TomcatContainer;

class TomcatFleetTest extends FleetScenarios {
  @Override
  ServletContainer.Factory factory() {
    return TomcatContainer.FACTORY;
  }
}
