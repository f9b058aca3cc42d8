package dev.patguard.redis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The fleet keys a replica holds: the {@linkplain #current() current} one, which names and seals
 * everything written, and older ones that are still read, so that keys rotate without a flag day.
 *
 * <p>The text form, as in an environment variable or a file, is {@code id:base64[,id:base64...]},
 * current key first, for example {@code k2:3q2+7w...,k1:AAEC...}. Rotating from {@code k1} to
 * {@code k2}: (1) give every replica {@code k1:...,k2:...} (still writing with k1, reading both);
 * (2) once all run with it, switch to {@code k2:...,k1:...} (writing with k2); (3) after one cache
 * TTL, drop {@code k1}.
 */
public final class FleetKeys {
  private final List<FleetKey> keys;

  private FleetKeys(List<FleetKey> keys) {
    this.keys = List.copyOf(keys);
  }

  /**
   * A key ring.
   *
   * @param current the key that names and seals what is written
   * @param older keys still read, newest first
   * @return the ring
   * @throws IllegalArgumentException if two keys share an id
   */
  public static FleetKeys of(FleetKey current, FleetKey... older) {
    List<FleetKey> all = new ArrayList<>();
    all.add(Objects.requireNonNull(current, "current must not be null"));
    for (FleetKey k : older) {
      all.add(Objects.requireNonNull(k, "older keys must not be null"));
    }
    Set<String> ids = new HashSet<>();
    for (FleetKey k : all) {
      if (!ids.add(k.id())) {
        throw new IllegalArgumentException("fleet key id \"" + k.id() + "\" appears twice");
      }
    }
    return new FleetKeys(all);
  }

  /**
   * Reads the text form {@code id:base64[,id:base64...]}, current key first.
   *
   * @param text the keys; white space around entries is ignored
   * @return the ring
   * @throws IllegalArgumentException if an entry is not {@code id:base64} with an id and at least
   *     32 bytes; the message names the entry by position and id, never the key material
   */
  public static FleetKeys parse(String text) {
    Objects.requireNonNull(text, "text must not be null");
    String[] entries = text.split(",", -1);
    List<FleetKey> keys = new ArrayList<>();
    for (int i = 0; i < entries.length; i++) {
      String entry = entries[i].strip();
      int colon = entry.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException(
            "fleet key entry "
                + (i + 1)
                + " is not id:base64 (for example k1:$(openssl rand -base64 32))");
      }
      String id = entry.substring(0, colon);
      byte[] secret;
      try {
        secret = Base64.getDecoder().decode(entry.substring(colon + 1).strip());
      } catch (IllegalArgumentException e) {
        try {
          secret = Base64.getUrlDecoder().decode(entry.substring(colon + 1).strip());
        } catch (IllegalArgumentException e2) {
          throw new IllegalArgumentException(
              "fleet key entry " + (i + 1) + " (id \"" + id + "\") is not valid base64");
        }
      }
      keys.add(FleetKey.of(id, secret));
    }
    return of(keys.get(0), keys.subList(1, keys.size()).toArray(new FleetKey[0]));
  }

  /**
   * Keys from an environment variable in the text form, read once, at the first call.
   *
   * @param name the variable, such as {@code PATGUARD_FLEET_KEYS}
   * @return a supplier that throws {@link IllegalStateException} if the variable is unset, and
   *     {@link IllegalArgumentException} if it does not parse
   */
  public static Supplier<FleetKeys> fromEnv(String name) {
    Objects.requireNonNull(name, "name must not be null");
    return new Supplier<>() {
      private volatile FleetKeys keys;

      @Override
      public FleetKeys get() {
        FleetKeys k = keys;
        if (k == null) {
          String value = System.getenv(name);
          if (value == null || value.isBlank()) {
            throw new IllegalStateException(
                "environment variable "
                    + name
                    + " is not set: give it the fleet keys as id:base64[,id:base64...]");
          }
          k = parse(value);
          keys = k;
        }
        return k;
      }

      @Override
      public String toString() {
        return "FleetKeys.fromEnv(" + name + ")";
      }
    };
  }

  /**
   * Keys from a file in the text form, read again whenever its modification time or size changes
   * (so a rotation needs no restart).
   *
   * @param file the file; keep it readable by the app only
   * @return a supplier that throws {@link IllegalStateException} if the file cannot be read, and
   *     {@link IllegalArgumentException} if it does not parse
   */
  public static Supplier<FleetKeys> fromFile(Path file) {
    Objects.requireNonNull(file, "file must not be null");
    return new Supplier<>() {
      private record Loaded(FileTime modified, long size, FleetKeys keys) {}

      private volatile Loaded loaded;

      @Override
      public FleetKeys get() {
        try {
          FileTime modified = Files.getLastModifiedTime(file);
          long size = Files.size(file);
          Loaded l = loaded;
          if (l == null || !l.modified().equals(modified) || l.size() != size) {
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            l = new Loaded(modified, size, parse(text));
            loaded = l;
          }
          return l.keys();
        } catch (IOException e) {
          throw new IllegalStateException(
              "cannot read the fleet keys from " + file + ": " + e.getMessage());
        }
      }

      @Override
      public String toString() {
        return "FleetKeys.fromFile(" + file + ")";
      }
    };
  }

  /**
   * The key that names and seals what is written.
   *
   * @return the first key
   */
  public FleetKey current() {
    return keys.get(0);
  }

  /**
   * Every key, current first.
   *
   * @return the keys, unmodifiable
   */
  public List<FleetKey> all() {
    return keys;
  }

  /**
   * The key with {@code id}.
   *
   * @param id a key id
   * @return the key, or empty if this ring has none with that id
   */
  public Optional<FleetKey> find(String id) {
    return keys.stream().filter(k -> k.id().equals(id)).findFirst();
  }

  @Override
  public String toString() {
    return "FleetKeys" + keys.stream().map(FleetKey::id).toList();
  }
}
