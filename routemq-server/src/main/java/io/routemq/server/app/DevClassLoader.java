package io.routemq.server.app;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * The class loader of one reload: the freshly compiled classes first (child first), then the parent for everything
 * else, with the app's original output directories hidden from resource lookups (so that the route index and the
 * avaje-inject module list are the new ones, not the old ones next to them).
 */
final class DevClassLoader extends URLClassLoader {
    private final List<String> hidden;

    DevClassLoader(Path classes, List<Path> shadowed, ClassLoader parent) throws MalformedURLException {
        super("routemq-dev", new URL[]{classes.toUri().toURL()}, parent);
        this.hidden = shadowed.stream().map(p -> p.toAbsolutePath().normalize().toUri().toString()).toList();
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                try {
                    c = findClass(name);
                } catch (ClassNotFoundException e) {
                    return super.loadClass(name, resolve);
                }
            }
            if (resolve) resolveClass(c);
            return c;
        }
    }

    @Override
    public URL getResource(String name) {
        URL own = findResource(name);
        if (own != null) return own;
        URL parent = getParent().getResource(name);
        return parent != null && isHidden(parent) ? null : parent;
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        List<URL> out = new ArrayList<>(Collections.list(findResources(name)));
        for (URL u : Collections.list(getParent().getResources(name))) if (!isHidden(u)) out.add(u);
        return Collections.enumeration(out);
    }

    private boolean isHidden(URL url) {
        String s = url.toString();
        for (String h : hidden) if (s.startsWith(h)) return true;
        return false;
    }
}
