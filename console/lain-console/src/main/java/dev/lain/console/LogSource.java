package dev.lain.console;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where an instance's output comes from: the node agent that runs its container. Implemented
 * against the node agents elsewhere; the console only finds the container and streams what this
 * returns.
 */
public interface LogSource {
  /**
   * The container's stdout and stderr as text.
   *
   * @param container which node runs it and the container's name
   * @param follow keep the stream open and deliver new output until it is closed
   * @param tail how many of the last lines to start with
   * @return a stream the console closes when the client goes away or the output ends
   * @throws IOException when the node cannot be reached
   */
  InputStream open(ContainerRef container, boolean follow, int tail) throws IOException;

  /**
   * One container on one node.
   *
   * @param node the node's name
   * @param nodeIp the node's IP as its agent reported it (empty until it reports)
   * @param container the container name, {@code <pod group>.v<version>-i<instance>-d<drift>}
   */
  record ContainerRef(String node, String nodeIp, String container) {}
}
