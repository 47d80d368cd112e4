package io.routemq.processor;

import javax.lang.model.element.TypeElement;
import java.util.List;

/**
 * A controller, checked: its {@code @Topic} methods and the route file to generate for it.
 *
 * @param type         the controller class
 * @param name         its canonical name ({@code com.acme.Outer.Inner}), as written in generated code and labels
 * @param binaryName   its binary name ({@code com.acme.Outer$Inner}), as written in the index
 * @param packageName  its package, where the route file goes
 * @param binderName   the route file's simple name
 * @param routes       its routes, in source order
 * @param middleware   the distinct middleware classes of its routes (canonical names), in order of first use: the
 *                     route file's constructor takes one of each after the controller
 */
record ControllerModel(TypeElement type, String name, String binaryName, String packageName, String binderName,
                       List<RouteModel> routes, List<String> middleware) {

    /** The route file's binary name (it is a top-level class in the controller's package). */
    String binderBinaryName() {
        return packageName.isEmpty() ? binderName : packageName + "." + binderName;
    }
}
