/** The response schema of `GET /scopes` (documentation and tests only, like the others). */
import { z } from "zod";

/** `GET /scopes`: the scopes and presets a caller may grant, with descriptions. */
export const scopeCatalogueSchema = z
  .strictObject({
    items: z.array(
      z.strictObject({
        name: z.string().meta({ description: "The scope or preset name to send in `scopes`." }),
        description: z.string().nullable().meta({ description: "What it grants; null when not described." }),
        preset: z.boolean().meta({ description: "Whether the name is a preset." }),
        scopes: z.array(z.string()).meta({ description: "The scopes it grants (a preset's, flattened)." }),
      }),
    ),
  })
  .meta({ description: "The scopes and presets you may put on a key, in the order to show them." });
