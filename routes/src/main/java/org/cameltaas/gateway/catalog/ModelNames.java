package org.cameltaas.gateway.catalog;

/** The {@code provider/model} form: {@code openai/gpt-4o} asks the openai upstream for {@code gpt-4o}. */
public class ModelNames {

    public String provider(String model) {
        int slash = model.indexOf('/');
        return slash < 0 ? null : model.substring(0, slash);
    }

    public String model(String model) {
        int slash = model.indexOf('/');
        return slash < 0 ? model : model.substring(slash + 1);
    }
}
