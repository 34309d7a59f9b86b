function consumed()
  % Fails unless the run used every tick and draw it was given.
  global LLMSAM_I LLMSAM_IK LLMSAM_U LLMSAM_UK
  if LLMSAM_IK ~= numel(LLMSAM_I) || LLMSAM_UK ~= numel(LLMSAM_U)
    error('llmsam: used %d of %d ticks and %d of %d draws', LLMSAM_IK, numel(LLMSAM_I), LLMSAM_UK, numel(LLMSAM_U));
  end
end
