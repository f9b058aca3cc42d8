package dev.patguard.fakebrms.internal;

import java.security.SecureRandom;

/** Random token secrets: 40 base62 characters, about 238 bits. */
final class Secrets {

  private static final String ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final int LENGTH = 40;
  private static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {}

  static String next() {
    char[] chars = new char[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      chars[i] = ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length()));
    }
    return new String(chars);
  }
}
