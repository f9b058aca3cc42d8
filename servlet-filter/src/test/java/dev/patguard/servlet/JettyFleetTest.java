package dev.patguard.servlet;

import dev.patguard.servlet.support.JettyContainer;
import dev.patguard.servlet.support.ServletContainer;

class JettyFleetTest extends FleetScenarios {
  @Override
  ServletContainer.Factory factory() {
    return JettyContainer.FACTORY;
  }
}
