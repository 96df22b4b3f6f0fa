package org.cameltaas.gateway.reload;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.TemplatedRouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.ResourceReload;
import org.apache.camel.support.PluginHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads one changed route file while every other route, the HTTP server among them, keeps running (streams in
 * flight are not cut). The file's route templates, routes and templated routes replace those of the same ids;
 * unlike Camel's stock reload this also brings up templated routes, which is how models are declared.
 */
public class RouteFileReload implements ResourceReload {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFileReload.class);

    private final CamelContext context;
    /** Route ids each file brought up last time, so a route deleted from a file goes away. */
    private final java.util.Map<Path, Set<String>> idsByFile = new java.util.concurrent.ConcurrentHashMap<>();

    public RouteFileReload(CamelContext context) {
        this.context = context;
    }

    @Override
    public synchronized void onReload(String name, Resource resource) throws Exception {
        Path file = Path.of(name).toAbsolutePath().normalize();
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        Set<String> ids = new LinkedHashSet<>(idsByFile.getOrDefault(file, Set.of()));
        context.getRoutes().stream().filter(route -> sameFile(route, file)).map(Route::getRouteId).forEach(ids::add);

        Set<String> fresh = new LinkedHashSet<>();
        RouteBuilder parsed = null;
        if (Files.exists(file)) {
            for (RoutesBuilder builder : PluginHelper.getRoutesLoader(context).findRoutesBuilders(resource)) {
                if (builder instanceof RouteBuilder routeBuilder) {
                    routeBuilder.configureRoutes(context);
                    routeBuilder.getRouteCollection().getRoutes().forEach(r -> fresh.add(r.getRouteId()));
                    routeBuilder.getTemplatedRouteCollection().getTemplatedRoutes().forEach(t -> fresh.add(t.getRouteId()));
                    parsed = routeBuilder;
                }
            }
        }
        ids.addAll(fresh);
        for (String id : ids) {
            if (id != null && context.getRoute(id) != null) {
                context.getRouteController().stopRoute(id);
                context.removeRoute(id);
            }
        }
        if (parsed != null) {
            model.addRouteTemplateDefinitions(parsed.getRouteTemplateCollection().getRouteTemplates());
            for (RouteDefinition route : parsed.getRouteCollection().getRoutes()) {
                route.setResource(resource);
            }
            model.addRouteDefinitions(parsed.getRouteCollection().getRoutes());
            for (TemplatedRouteDefinition templated : parsed.getTemplatedRouteCollection().getTemplatedRoutes()) {
                templated.setResource(resource);
                model.addRouteFromTemplatedRoute(templated);
            }
        }
        idsByFile.put(file, fresh);
        LOG.info("Reloaded {}: routes now {}", file.getFileName(), fresh);
    }

    private static boolean sameFile(Route route, Path file) {
        Resource source = route.getSourceResource();
        if (source == null || source.getLocation() == null) {
            return false;
        }
        String location = source.getLocation();
        int colon = location.indexOf(':');
        String path = colon > 1 ? location.substring(colon + 1) : location;
        return Path.of(path).toAbsolutePath().normalize().equals(file);
    }
}
