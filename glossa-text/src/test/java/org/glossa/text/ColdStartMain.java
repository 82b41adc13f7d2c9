package org.glossa.text;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketPermission;
import java.nio.file.Path;
import java.security.Permission;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Run in a child JVM by {@link ColdStartTest}: loads a tokenizer and encodes a text while a security
 * manager refuses (and records) every network connection or name lookup. Prints "IDS [...]" and
 * "BLOCKED [...]" (the refused attempts), or "ERROR ..." and exits 2.
 */
public final class ColdStartMain {

    private static final List<String> BLOCKED = new CopyOnWriteArrayList<>();

    private ColdStartMain() {
    }

    public static void main(String[] args) {
        installNetworkGuard();
        checkGuardWorks();
        try {
            HfTokenizer tokenizer = HfTokenizer.load(Path.of(args[0]));
            System.out.println("IDS " + Arrays.toString(tokenizer.encode("Hello world").ids()));
        } catch (RuntimeException e) {
            System.out.println("ERROR " + e);
            System.out.println("BLOCKED " + BLOCKED);
            System.exit(2);
        }
        System.out.println("BLOCKED " + BLOCKED);
    }

    @SuppressWarnings("removal") // the security manager still works on Java 17, our target
    private static void installNetworkGuard() {
        System.setSecurityManager(new SecurityManager() {
            @Override
            public void checkPermission(Permission permission) {
                if (permission instanceof SocketPermission) {
                    BLOCKED.add(permission.getName() + " " + permission.getActions());
                    throw new SecurityException("network access refused: " + permission);
                }
            }

            @Override
            public void checkPermission(Permission permission, Object context) {
                checkPermission(permission);
            }
        });
    }

    private static void checkGuardWorks() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 9), 100);
            System.out.println("ERROR the network guard let a connection through");
            System.exit(3);
        } catch (SecurityException expected) {
            BLOCKED.clear(); // our own probe; only the tokenizer's attempts count
        } catch (Exception e) {
            System.out.println("ERROR the network guard is not active: " + e);
            System.exit(3);
        }
    }
}
