package dev.patguard.servlet;

import dev.patguard.servlet.support.ServletContainer;
import dev.patguard.servlet.support.TomcatContainer;

class TomcatHostileInputTest extends HostileInputs {
  @Override
  ServletContainer.Factory factory() {
    return TomcatContainer.FACTORY;
  }
}
