package dev.lain.records.deployd;

/** Pod group names: {@code <app>.<type>.<proc>}, where the app may itself contain dots. */
public final class PodGroupNames {
  private PodGroupNames() {}

  /** The app of a pod group: everything before {@code .<type>.<proc>}. */
  public static String appOf(String podGroup) {
    int proc = podGroup.lastIndexOf('.');
    int type = proc <= 0 ? -1 : podGroup.lastIndexOf('.', proc - 1);
    if (type <= 0) {
      throw new IllegalArgumentException("not a pod group name (<app>.<type>.<proc>): " + podGroup);
    }
    return podGroup.substring(0, type);
  }
}
