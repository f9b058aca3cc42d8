package dev.patguard.cli.internal;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/** What every subcommand has: the run's {@link Context} and the {@code --debug} option. */
abstract class ContextCommand implements Callable<Integer>, Commands.Debuggable {
  final Context ctx;

  @Mixin CommonOptions common = new CommonOptions();

  ContextCommand(Context ctx) {
    this.ctx = ctx;
  }

  @Override
  public boolean debug() {
    return common.debug;
  }
}
