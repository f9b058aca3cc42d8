package dev.patguard.junit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The system properties the fake servers of one run set, as layers over the values they found. One
 * instance lives in the root store, so servers that run at the same time (classes or methods in
 * parallel) share it: a property shows its latest live layer, and when the last layer goes the
 * value found before the first is put back, whatever order the servers close in. (Each server
 * saving and restoring on its own would leave a closed server's URL behind when two overlap and the
 * older one closes first.) Thread-safe.
 */
final class SystemProperties {
  /** One value set by one server; removing it is the only way to undo it. */
  static final class Layer {
    private final String key;
    private final String value;

    private Layer(String key, String value) {
      this.key = key;
      this.value = value;
    }

    @Override
    public String toString() {
      return "Layer[" + key + "]"; // the value may be a secret (mintAs)
    }
  }

  private record Stack(@Nullable String original, List<Layer> layers) {}

  private final Map<String, Stack> stacks = new HashMap<>();

  /** Sets {@code key} to {@code value} until the returned layer is removed. */
  synchronized Layer set(String key, String value) {
    Stack stack =
        stacks.computeIfAbsent(key, k -> new Stack(System.getProperty(k), new ArrayList<>()));
    Layer layer = new Layer(key, value);
    stack.layers().add(layer);
    System.setProperty(key, value);
    return layer;
  }

  /** Removes a layer: the property shows the latest remaining one, or the value found first. */
  synchronized void remove(Layer layer) {
    Stack stack = stacks.get(layer.key);
    if (stack == null || !stack.layers().remove(layer)) {
      return;
    }
    if (!stack.layers().isEmpty()) {
      System.setProperty(layer.key, stack.layers().get(stack.layers().size() - 1).value);
      return;
    }
    stacks.remove(layer.key);
    if (stack.original() == null) {
      System.clearProperty(layer.key);
    } else {
      System.setProperty(layer.key, stack.original());
    }
  }
}
