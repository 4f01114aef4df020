import { addDomainInput, certificateInput, domainRefInput, updateDomainInput } from "../../domains/domain-input.ts";
import { checkDomains, listDomains } from "../../domains/domain-view.ts";
import { addDomain, removeDomain, setCertificate, updateDomain } from "../../domains/domains.ts";
import { serviceProcedure } from "../procedures.ts";
import { router } from "../init.ts";

export const domainsRouter = router({
  list: serviceProcedure("viewer").query(({ ctx, input }) => listDomains(ctx.deps, ctx.actor, input.serviceId)),
  check: serviceProcedure("viewer").query(({ ctx, input }) => checkDomains(ctx.deps, ctx.actor, input.serviceId)),
  add: serviceProcedure("member")
    .input(addDomainInput)
    .mutation(({ ctx, input }) => addDomain(ctx.deps, ctx.actor, input)),
  update: serviceProcedure("member")
    .input(updateDomainInput)
    .mutation(({ ctx, input }) => updateDomain(ctx.deps, ctx.actor, input)),
  remove: serviceProcedure("member")
    .input(domainRefInput)
    .mutation(({ ctx, input }) => removeDomain(ctx.deps, ctx.actor, input)),
  setCertificate: serviceProcedure("member")
    .input(certificateInput)
    .mutation(({ ctx, input }) => setCertificate(ctx.deps, ctx.actor, input)),
});
