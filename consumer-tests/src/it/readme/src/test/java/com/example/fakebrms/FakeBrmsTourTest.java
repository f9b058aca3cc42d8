package com.example.fakebrms;

import java.time.Clock;
import org.junit.jupiter.api.Test;

/** Runs the fake-brms README tour: every call it shows works as written. */
class FakeBrmsTourTest {
  @Test
  void tourWhenRunThenNoException() {
    FakeBrmsTour.tour(Clock.systemUTC());
  }
}
