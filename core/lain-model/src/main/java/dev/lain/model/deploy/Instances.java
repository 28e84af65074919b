package dev.lain.model.deploy;

/** Which instances of a pod group an operation is for: all of them, or one by number. */
public sealed interface Instances {
  All ALL = new All();

  static Instances one(int number) {
    return new One(number);
  }

  /** Whether instance {@code number} is chosen. */
  boolean includes(int number);

  record All() implements Instances {
    @Override
    public boolean includes(int number) {
      return true;
    }
  }

  /**
   * @param number 1 or more
   */
  record One(int number) implements Instances {
    public One {
      if (number < 1) {
        throw new IllegalArgumentException("instances are numbered from 1, not " + number);
      }
    }

    @Override
    public boolean includes(int n) {
      return n == number;
    }
  }
}
