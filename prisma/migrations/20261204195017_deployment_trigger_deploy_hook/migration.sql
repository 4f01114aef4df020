-- AlterEnum
ALTER TYPE "DeploymentTrigger" ADD VALUE 'deploy_hook';

